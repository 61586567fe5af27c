import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from newsroom.env import (
    cache_config,
    database_config,
    env_admins,
    env_bool,
    env_choice,
    env_int,
    env_list,
    site_url_setting,
    tasks_config,
)

BASE_DIR = Path(__file__).resolve().parent.parent


def test_empty_database_url_means_the_embedded_sqlite_file():
    config = database_config("", base_dir=BASE_DIR)
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == BASE_DIR / "db.sqlite3"


def test_postgres_url_is_parsed_into_its_parts():
    config = database_config("postgres://news:s3cret@db.example.com:6543/newsroom", base_dir=BASE_DIR)
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["USER"], config["PASSWORD"], config["HOST"], config["PORT"], config["NAME"]) == (
        "news",
        "s3cret",
        "db.example.com",
        6543,
        "newsroom",
    )


def test_postgres_prepares_statements_unless_turned_off():
    url = "postgres://news@db.example.com/newsroom"
    assert database_config(url, base_dir=BASE_DIR)["OPTIONS"]["prepare_threshold"] == 2
    assert "prepare_threshold" not in database_config(url, base_dir=BASE_DIR, prepared_statements=False).get(
        "OPTIONS", {}
    )
    assert "prepare_threshold" not in database_config("", base_dir=BASE_DIR)["OPTIONS"]


def test_unsupported_database_url_is_refused_at_start_up():
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        database_config("mysql://root@localhost/news", base_dir=BASE_DIR)


def test_redis_url_selects_the_redis_cache_and_no_url_the_local_memory_cache():
    assert cache_config("redis://127.0.0.1:6379/1")["BACKEND"] == "newsroom.cache.ResilientRedisCache"
    assert cache_config("")["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL"):
        cache_config("memcached://127.0.0.1")


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("yes", True), ("0", False), ("off", False), ("", False)])
def test_env_bool_reads_the_usual_words(monkeypatch, raw, expected):
    monkeypatch.setenv("NEWSROOM_FLAG", raw)
    assert env_bool("NEWSROOM_FLAG") is expected


def test_env_bool_and_int_refuse_typos(monkeypatch):
    monkeypatch.setenv("NEWSROOM_FLAG", "ture")
    monkeypatch.setenv("NEWSROOM_NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured, match="NEWSROOM_FLAG"):
        env_bool("NEWSROOM_FLAG")
    with pytest.raises(ImproperlyConfigured, match="NEWSROOM_NUMBER"):
        env_int("NEWSROOM_NUMBER", 3)


def test_env_list_drops_blanks_and_admins_parse_names(monkeypatch):
    monkeypatch.setenv("NEWSROOM_HOSTS", " a.example.com, ,b.example.com,")
    monkeypatch.setenv("NEWSROOM_ADMINS", "Ops Team <ops@example.com>, dev@example.com")
    assert env_list("NEWSROOM_HOSTS") == ["a.example.com", "b.example.com"]
    assert env_admins("NEWSROOM_ADMINS") == [("Ops Team", "ops@example.com"), ("dev@example.com", "dev@example.com")]


def run_check(env_overrides):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )


def test_production_without_a_secret_key_refuses_to_start():
    result = run_check({"DJANGO_DEBUG": "0"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_production_with_a_secret_key_starts():
    result = run_check({"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "x" * 50, "DJANGO_ALLOWED_HOSTS": "news.example"})
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", ""),
        ("https://news.example.com", "https://news.example.com"),
        ("http://127.0.0.1:8000/", "http://127.0.0.1:8000"),
    ],
)
def test_site_url_is_an_origin(monkeypatch, raw, expected):
    monkeypatch.setenv("NEWSROOM_SITE_URL", raw)
    assert site_url_setting("NEWSROOM_SITE_URL") == expected


@pytest.mark.parametrize(
    "raw", ["news.example.com", "ftp://news.example.com", "https://news.example.com/blog", "https://"]
)
def test_a_site_url_that_is_not_an_origin_stops_start_up(monkeypatch, raw):
    monkeypatch.setenv("NEWSROOM_SITE_URL", raw)
    with pytest.raises(ImproperlyConfigured, match="NEWSROOM_SITE_URL"):
        site_url_setting("NEWSROOM_SITE_URL")


def test_task_backends_are_named_not_guessed(monkeypatch):
    assert tasks_config("database")["BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert tasks_config("rq")["BACKEND"] == "django_tasks_rq.RQBackend"
    monkeypatch.setenv("NEWSROOM_TASKS_BACKEND", "celery")
    with pytest.raises(ImproperlyConfigured, match="NEWSROOM_TASKS_BACKEND"):
        env_choice("NEWSROOM_TASKS_BACKEND", ["database", "rq", "immediate"], default="database")


def test_an_sqlite_url_gets_the_same_concurrency_options_as_the_default_file():
    config = database_config("sqlite:////tmp/site.sqlite3", base_dir=BASE_DIR)
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]
    assert config["OPTIONS"]["timeout"] == database_config("", base_dir=BASE_DIR)["OPTIONS"]["timeout"]
