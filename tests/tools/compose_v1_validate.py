#!/usr/bin/python3
"""Validate compose files with Compose v1 (Debian's docker-compose 1.29 package) in one process.

Usage: compose_v1_validate.py FILE...   Prints one line per file: "ok<TAB>path" or "error<TAB>path<TAB>message".
This is what `docker-compose -f FILE config -q` checks, without paying Python's start-up per file.
"""
import logging
import os
import sys

logging.disable(logging.CRITICAL)

from compose.config import config  # noqa: E402
from compose.config.environment import Environment  # noqa: E402


def validate(path):
    base = os.path.dirname(os.path.abspath(path))
    env = Environment.from_env_file(base)
    details = config.find(base, [os.path.basename(path)], env)
    config.load(details)


def main(paths):
    for path in paths:
        try:
            validate(path)
            print("ok\t" + path)
        except BaseException as e:  # noqa: BLE001 - every failure is a verdict about the file
            message = str(e).replace("\n", " ").replace("\t", " ")
            print("error\t" + path + "\t" + type(e).__name__ + ": " + message)
        sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1:])
