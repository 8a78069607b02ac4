"""Uploads in an S3-compatible bucket: a real S3 HTTP server (moto's), not a mock of boto3.

With MEETOPS_S3_BUCKET set, uploaded files live in the bucket, downloads still
pass MeetOps's permission checks, and backups carry and restore the objects.
"""

from __future__ import annotations

import logging
import urllib.request
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from moto.server import ThreadedMotoServer

from meetops.agenda.models import AgendaItem
from meetops.core import backup
from meetops.meetings import services as meetings

BUCKET = "meetops-files"


@pytest.fixture
def s3(settings, tmp_path) -> Iterator[Any]:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="meetops",
        aws_secret_access_key="meetops-secret",
        region_name="us-east-1",
    )
    # moto keeps its buckets in the process: start every test from none.
    urllib.request.urlopen(urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST"))
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "meetops.core.storage_s3.BucketStorage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": endpoint,
                "access_key": "meetops",
                "secret_key": "meetops-secret",
                "region_name": "us-east-1",
                "default_acl": None,
                "file_overwrite": False,
                "addressing_style": "path",
            },
        },
    }
    settings.MEETOPS_BACKUP_DIR = tmp_path / "backups"
    yield client
    server.stop()


def _objects(client: Any) -> dict[str, bytes]:
    listed = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    return {o["Key"]: client.get_object(Bucket=BUCKET, Key=o["Key"])["Body"].read() for o in listed}


def _upload_materials(client, organiser, meeting) -> AgendaItem:
    client.force_login(organiser)
    upload = SimpleUploadedFile("报告.txt", "第三季度数据".encode(), content_type="text/plain")
    client.post(
        reverse("agenda_item_add", args=[meeting.pk]),
        {"title": "报告", "duration_minutes": 30, "materials": upload},
        headers={"HX-Request": "true"},
    )
    return AgendaItem.objects.get(meeting=meeting)


@pytest.mark.django_db
def test_uploads_go_to_the_bucket_and_downloads_keep_their_permissions(
    s3, client, organiser, member, outsider, make_meeting
):
    meeting = make_meeting(title="保密会", confidentiality="confidential")
    meetings.add_participant(meeting, actor=organiser, user=member)
    item = _upload_materials(client, organiser, meeting)

    assert _objects(s3) == {item.materials.name: "第三季度数据".encode()}
    url = reverse("agenda_materials", args=[meeting.pk, item.pk])
    client.force_login(member)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).decode() == "第三季度数据"
    client.force_login(outsider)
    assert client.get(url).status_code == 404


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_carries_the_bucket_and_restores_a_lost_object(
    s3, client, organiser, make_meeting
):
    meeting = make_meeting(title="季度会")
    item = _upload_materials(client, organiser, meeting)
    info = backup.create_backup()
    assert info.file_count == 1 and backup.verify_backup(info.path).ok

    s3.delete_object(Bucket=BUCKET, Key=item.materials.name)
    s3.put_object(Bucket=BUCKET, Key="agenda/later.txt", Body=b"later")
    backup.restore_backup(info.path)

    objects = _objects(s3)
    assert objects[item.materials.name] == "第三季度数据".encode()
    # Added after the backup: left in the bucket, nothing in the database points at it.
    assert objects["agenda/later.txt"] == b"later"


def test_naming_a_bucket_switches_uploads_to_it(tmp_path):
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "MEETOPS_DEBUG": "1",
        "MEETOPS_DATA_DIR": str(tmp_path),
        "MEETOPS_S3_BUCKET": "archive",
        "MEETOPS_S3_ENDPOINT_URL": "http://127.0.0.1:9000",
        "MEETOPS_S3_PREFIX": "meetops",
    }
    code = (
        "import django; django.setup();"
        "from django.core.files.storage import default_storage as s;"
        "print(type(s._wrapped if hasattr(s, '_wrapped') else s).__name__ if s.bucket_name else '',"
        " s.bucket_name, s.endpoint_url, s.location, s.default_acl)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "DJANGO_SETTINGS_MODULE": "meetops.config.settings"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out == ["BucketStorage", "archive", "http://127.0.0.1:9000", "meetops", "None"]


def test_an_object_stored_in_a_transaction_that_rolls_back_is_deleted(s3, admin_user):
    from django.db import transaction

    from meetops.core.errors import ValidationFailed
    from meetops.training import services as training

    course = training.create_course(actor=admin_user, title="会务基础", hours=3)
    with pytest.raises(ValidationFailed), transaction.atomic():
        upload = SimpleUploadedFile("slides.txt", "讲义".encode(), content_type="text/plain")
        training.add_material(course, actor=admin_user, title="讲义", upload=upload)
        assert len(_objects(s3)) == 1
        raise ValidationFailed("refused", "invalid_input")
    assert _objects(s3) == {}
