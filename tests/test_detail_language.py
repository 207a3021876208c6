"""The entry description exists only in Chinese: English readers are told so, not surprised."""

import pytest

pytestmark = pytest.mark.django_db


def test_english_detail_page_marks_the_chinese_overview(client):
    response = client.get("/catalog/easyrec/", HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200
    assert "(in Chinese)" in html
    assert '<div lang="zh-Hans">' in html


def test_chinese_detail_page_shows_the_overview_plainly(client):
    response = client.get("/catalog/easyrec/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = response.content.decode()
    assert response.status_code == 200
    assert "概述" in html
    assert "（中文）" not in html
