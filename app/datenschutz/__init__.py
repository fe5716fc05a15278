"""Data-protection rights: "Meine Daten" (Art. 15/20), account deletion (Art. 17), retention."""
