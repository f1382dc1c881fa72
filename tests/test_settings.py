from __future__ import annotations

from pathlib import Path

import pytest

from qa.errors import SettingsError
from qa.settings import Settings


def test_settings_read_prefixed_environment():
    s = Settings.from_env({"QA_INDEX_DIR": "/tmp/idx", "QA_TOP_K": "5", "QA_PORT": "9000"})
    assert s.index_dir == Path("/tmp/idx") and s.top_k == 5 and s.port == 9000


def test_explicit_overrides_win_over_environment():
    assert Settings.from_env({"QA_TOP_K": "5"}, top_k=2).top_k == 2


@pytest.mark.parametrize("env, key", [({"QA_TOP_K": "three"}, "QA_TOP_K"), ({"QA_PORT": "0"}, "QA_PORT"),
                                      ({"QA_TOP_K": "500"}, "QA_TOP_K"), ({"QA_INDEX_DIR": " "}, "QA_INDEX_DIR")])
def test_bad_setting_names_its_key(env, key):
    with pytest.raises(SettingsError) as info:
        Settings.from_env(env)
    assert key in info.value.message


@pytest.mark.parametrize("env, key", [({"QA_WORKERS": "0"}, "QA_WORKERS"), ({"QA_LOG_QUESTIONS": "2"}, "QA_LOG_QUESTIONS"),
                                      ({"QA_LOG_RETENTION_DAYS": "-1"}, "QA_LOG_RETENTION_DAYS")])
def test_operations_settings_name_their_key(env, key):
    with pytest.raises(SettingsError) as info:
        Settings.from_env(env)
    assert key in info.value.message


def test_feedback_database_defaults_beside_the_index_folder():
    assert Settings.from_env({"QA_INDEX_DIR": "/srv/qa/index"}).feedback_path == Path("/srv/qa/var/feedback.sqlite3")
    assert Settings.from_env({"QA_FEEDBACK_DB": "/data/fb.db"}).feedback_path == Path("/data/fb.db")


def test_abuse_settings_parse_and_default_to_trusting_no_proxy():
    s = Settings.from_env({"QA_BODY_TIMEOUT": "2.5", "QA_TRUSTED_PROXIES": "10.0.0.1, 127.0.0.1"})
    assert s.body_timeout == 2.5 and s.header_timeout == 10.0
    assert s.trusted_proxy_list == ["10.0.0.1", "127.0.0.1"] and Settings.from_env({}).trusted_proxy_list == []


@pytest.mark.parametrize("env, key", [({"QA_BODY_TIMEOUT": "soon"}, "QA_BODY_TIMEOUT"),
                                      ({"QA_HEADER_TIMEOUT": "0"}, "QA_HEADER_TIMEOUT")])
def test_bad_timeout_names_its_key(env, key):
    with pytest.raises(SettingsError) as info:
        Settings.from_env(env)
    assert key in info.value.message
