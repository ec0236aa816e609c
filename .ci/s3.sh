#!/usr/bin/env bash
# Makes sure an S3-compatible server answers on 127.0.0.1:9000 with a bucket for the tests, and
# prints the store's name (s3://bucket). Uses a server already listening there; otherwise starts
# moto's server (PyPI: moto[server]), installing it first when missing. The caller exports the
# AWS_* variables below so that the tests' S3 client reaches it.
set -euo pipefail

endpoint="http://127.0.0.1:9000"
bucket="hadir-test"
ready() { curl -fsS -o /dev/null "$endpoint/" 2>/dev/null; }

if ! ready; then
  if ! command -v moto_server >/dev/null; then
    echo "installing moto's S3 server from PyPI" >&2
    python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore 'moto[server]==5.2.1' >&2
  fi
  nohup moto_server -H 127.0.0.1 -p 9000 >/tmp/hadir-ci-s3.log 2>&1 &
  for _ in $(seq 1 30); do ready && break; sleep 1; done
  ready || { echo "the S3 test server did not come up on $endpoint (see /tmp/hadir-ci-s3.log)" >&2; exit 1; }
fi

# Creating a bucket that exists already answers 409 on some servers: either way it is there.
curl -sS -o /dev/null -X PUT "$endpoint/$bucket" || true
curl -fsS -o /dev/null "$endpoint/$bucket" || { echo "cannot create the bucket $bucket on $endpoint" >&2; exit 1; }
echo "s3://$bucket"
