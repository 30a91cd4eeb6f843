from app.main import health
from app.scoring import percentage


def test_health_reports_version():
    assert health()["status"] == "ok"


def test_percentage_of_nothing_is_zero():
    assert percentage(0, 0) == 0.0
    assert percentage(3, 4) == 75.0
