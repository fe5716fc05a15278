"""Rundschreiben: circular mails of the Stabsstelle to a Gremium, all Träger or chosen people,
sent through the outbox in batches and kept on the platform for their recipients."""
