"""In-app notifications: ``notify(user_ids, text, url)``, the list and the unread count."""
