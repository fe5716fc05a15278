import pytest
from app.extensions import db
from app.auth.services import invite_user

@pytest.mark.worker
def test_invite(app, celery_worker, smtp_server, make, client):
    with app.test_request_context():
        user = make.user(password=None)
        invite_user(user)
        db.session.commit()
    [mail] = smtp_server.wait_for(user.email)
    print(mail.text())
    import time; time.sleep(5)
    print(celery_worker.log())
    assert 0
