"""Keyed seals and signed checkpoints (ADR 0011): someone with write access to the database but
without MEETOPS_AUDIT_KEY cannot delete, truncate, re-hash or reorder entries unnoticed, and
`meetops audit verify` names the stream and sequence number of each break."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest
from django.core.checks import run_checks
from django.db import connection

from meetops.core import audit, checkpoints, seal
from meetops.core.models import AuditEntry
from meetops.meetings import services as meetings

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _key(settings):
    settings.MEETOPS_AUDIT_KEY = "the-operators-secret-audit-key"


@pytest.fixture
def chain(make_meeting, organiser):
    """A meeting whose stream holds 5 entries (created + 4 updates)."""
    meeting = make_meeting()
    for i in range(4):
        meetings.update_meeting(meeting, actor=organiser, title=f"标题 {i}")
    return meeting


def _entries(meeting):
    return list(AuditEntry.objects.filter(stream=f"meeting:{meeting.pk}").order_by("seq"))


def _sql(sql: str, *params: object) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _breaks() -> list[tuple[str, int, str]]:
    return [(b.stream, b.seq, b.reason) for b in audit.verify()[1]]


def test_new_entries_are_sealed_with_the_key(chain):
    entry = _entries(chain)[-1]
    assert entry.algorithm == "hmac-sha256"
    expected = hmac.new(b"the-operators-secret-audit-key", entry.canonical(), hashlib.sha256)
    assert entry.hash == expected.hexdigest()
    assert entry.hash != hashlib.sha256(entry.canonical()).hexdigest()


def test_truncating_a_stream_is_caught_by_the_checkpoint(chain, meetops_cli):
    checkpoints.write_checkpoint()
    _sql("DELETE FROM core_auditentry WHERE stream = %s AND seq >= 4", f"meeting:{chain.pk}")
    [(stream, seq, reason)] = _breaks()
    assert (stream, seq) == (f"meeting:{chain.pk}", 4)
    assert reason.startswith("entries 4 to 5 deleted (checkpoint of ")
    code, out, _err = meetops_cli("audit", "verify")
    assert code == 1 and f"BROKEN meeting:{chain.pk} seq 4 (entry None): entries 4 to 5" in out


def test_deleting_a_whole_stream_is_caught(chain):
    checkpoints.write_checkpoint()
    _sql("DELETE FROM core_auditentry WHERE stream = %s", f"meeting:{chain.pk}")
    assert [(s, q) for s, q, _r in _breaks()] == [(f"meeting:{chain.pk}", 1)]


def test_the_next_checkpoint_refuses_to_bless_a_truncation(chain):
    checkpoints.write_checkpoint()
    _sql("DELETE FROM core_auditentry WHERE stream = %s AND seq = 5", f"meeting:{chain.pk}")
    with pytest.raises(checkpoints.CheckpointError, match=f"meeting:{chain.pk} seq 5"):
        checkpoints.write_checkpoint()
    assert len(list(checkpoints.checkpoint_dir().iterdir())) == 1


def test_deleting_an_entry_in_the_middle_is_caught(chain):
    checkpoints.write_checkpoint()
    _sql("DELETE FROM core_auditentry WHERE id = %s", _entries(chain)[2].pk)
    assert _breaks() == [(f"meeting:{chain.pk}", 4, "missing entries before this one")]


def test_rehashing_the_last_entry_without_the_key_is_caught(chain, settings):
    """The attacker runs the model's own code, but with a key of their own."""
    last = _entries(chain)[-1]
    last.object_repr = "nothing happened"
    settings.MEETOPS_AUDIT_KEY = "a-guess"
    forged = last.compute_hash()
    settings.MEETOPS_AUDIT_KEY = "the-operators-secret-audit-key"
    _sql(
        "UPDATE core_auditentry SET object_repr = %s, hash = %s WHERE id = %s",
        last.object_repr,
        forged,
        last.pk,
    )
    assert _breaks() == [(f"meeting:{chain.pk}", 5, "entry was altered")]


def test_passing_an_entry_off_as_an_unkeyed_one_is_caught(chain):
    """The pre-keyed algorithm needs no key: an entry written after keyed ones may not use it."""
    last = _entries(chain)[-1]
    last.object_repr = "nothing happened"
    last.algorithm = seal.LEGACY
    _sql(
        "UPDATE core_auditentry SET object_repr = %s, algorithm = %s, hash = %s WHERE id = %s",
        last.object_repr,
        seal.LEGACY,
        hashlib.sha256(last.canonical()).hexdigest(),
        last.pk,
    )
    assert _breaks() == [(f"meeting:{chain.pk}", 5, "entry is not sealed with the key")]


def test_rewriting_a_checkpointed_entry_even_with_the_key_is_caught(chain):
    """Whoever holds the key can re-seal an entry, but not the checkpoint already written."""
    checkpoints.write_checkpoint()
    last = _entries(chain)[-1]
    last.object_repr = "nothing happened"
    _sql(
        "UPDATE core_auditentry SET object_repr = %s, hash = %s WHERE id = %s",
        last.object_repr,
        last.compute_hash(),
        last.pk,
    )
    [(stream, seq, reason)] = _breaks()
    assert (stream, seq) == (f"meeting:{chain.pk}", 5)
    assert reason.startswith("entry differs from the checkpoint of ")


def test_reordering_entries_is_caught(chain):
    second, third = _entries(chain)[1:3]
    _sql("UPDATE core_auditentry SET seq = 1000 WHERE id = %s", second.pk)
    _sql("UPDATE core_auditentry SET seq = 2 WHERE id = %s", third.pk)
    _sql("UPDATE core_auditentry SET seq = 3 WHERE id = %s", second.pk)
    stream = f"meeting:{chain.pk}"
    assert _breaks() == [
        (stream, 2, "previous hash does not match"),
        (stream, 2, "entry was altered"),
        (stream, 3, "previous hash does not match"),
        (stream, 3, "entry was altered"),
        (stream, 4, "previous hash does not match"),
    ]


def test_a_forged_checkpoint_is_reported_and_not_used(chain):
    written = checkpoints.write_checkpoint()
    body = json.loads(written.path.read_text())
    body["streams"][f"meeting:{chain.pk}"][0] = 2  # hide entries 3-5 from the next check
    written.path.write_text(json.dumps(body))
    assert checkpoints.latest() == (
        None,
        f"checkpoint {written.path.name} cannot be read or its signature fails",
    )
    assert _breaks() == [("checkpoint", 0, checkpoints.latest()[1])]
    with pytest.raises(checkpoints.CheckpointError):
        checkpoints.write_checkpoint()


def test_chains_written_before_keyed_seals_still_verify(chain, organiser):
    """Entries from before ADR 0011 carry plain SHA-256; later ones are keyed, in one stream."""
    prev = ""
    for entry in _entries(chain):
        entry.algorithm, entry.prev_hash = seal.LEGACY, prev
        entry.hash = prev = hashlib.sha256(entry.canonical()).hexdigest()
        entry.save(update_fields=["algorithm", "prev_hash", "hash"])
    assert _breaks() == []
    checkpoints.write_checkpoint()
    meetings.update_meeting(chain, actor=organiser, title="之后")
    assert _entries(chain)[-1].algorithm == "hmac-sha256"
    assert _breaks() == []
    checkpoints.write_checkpoint()


def test_sm3_seals_where_configured_and_both_kinds_verify(chain, organiser, settings):
    settings.MEETOPS_AUDIT_HASH = "sm3"
    meetings.update_meeting(chain, actor=organiser, title="国密")
    entry = _entries(chain)[-1]
    assert entry.algorithm == "hmac-sm3"
    secret = b"the-operators-secret-audit-key"
    if "sm3" in hashlib.algorithms_available:  # OpenSSL's SM3 as a second opinion
        assert entry.hash == hmac.new(secret, entry.canonical(), "sm3").hexdigest()
    was_openssl = seal.OPENSSL_SM3
    try:
        seal.OPENSSL_SM3 = False  # gmssl's SM3, where OpenSSL has none
        assert seal.hmac_sm3(secret, entry.canonical()).hex() == entry.hash
        assert seal.sm3(b"abc").hex() == (  # GB/T 32905-2016, example 1
            "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
        )
    finally:
        seal.OPENSSL_SM3 = was_openssl
    written = checkpoints.write_checkpoint()
    assert written.algorithm == "hmac-sm3"
    settings.MEETOPS_AUDIT_HASH = "sha256"
    meetings.update_meeting(chain, actor=organiser, title="又改回")
    assert [e.algorithm for e in _entries(chain)][-3:] == ["hmac-sha256", "hmac-sm3", "hmac-sha256"]
    assert _breaks() == []


def test_check_warns_when_the_key_is_not_set_apart(settings):
    settings.TESTING = False
    settings.MEETOPS_AUDIT_KEY = ""
    assert "meetops.W011" in [m.id for m in run_checks()]
    settings.MEETOPS_AUDIT_KEY = "set"
    assert "meetops.W011" not in [m.id for m in run_checks()]


def test_a_trial_in_development_mode_is_not_warned_about_the_key(settings):
    settings.TESTING = False
    settings.MEETOPS_AUDIT_KEY = ""
    settings.DEBUG = True  # `make run` without a SECRET_KEY
    assert "meetops.W011" not in [m.id for m in run_checks()]


def test_the_scheduled_job_writes_a_signed_checkpoint_of_every_stream(chain, make_meeting):
    other = make_meeting()
    name = checkpoints.run_scheduled_checkpoint()
    found, problem = checkpoints.latest()
    assert problem == "" and found is not None and found.path.name == name
    assert found.streams[f"meeting:{chain.pk}"][0] == 5
    assert found.streams[f"meeting:{other.pk}"] == (1, _entries(other)[0].hash)
