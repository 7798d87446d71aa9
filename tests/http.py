"""Talking JSON to the API in tests, and checking its problem+json errors."""

import json


def json_post(client, url: str, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def json_patch(client, url: str, body):
    return client.patch(url, data=json.dumps(body), content_type="application/json")


def assert_problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    assert body["code"] == code
    return body


def json_put(client, url: str, body):
    return client.put(url, data=json.dumps(body), content_type="application/json")
