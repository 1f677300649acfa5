#!/usr/bin/env bash
# Benchmark of reading profiles collected in S3 (server/src/test/.../S3LoadBenchmark.java): moto's S3 server on
# loopback, N one-cold-start profiles uploaded by coldspy.s3_upload (default 3000), then listed, fetched and
# merged under a 512 MB heap. moto is far slower than S3, so the wall time is an upper bound.
# Figures go into docs/benchmarks.md ("Profiles collected in S3").
set -euo pipefail
cd "$(dirname "$0")/../.."
objects="${1:-3000}"
mvn -q -B -o -pl server test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt \
  || mvn -q -B -pl server test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt
classpath="server/target/test-classes:server/target/classes:$(cat server/target/bench-classpath.txt)"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
python3 -m moto.server -H 127.0.0.1 -p "$port" >/dev/null 2>&1 &
moto=$!
trap 'kill "$moto"' EXIT
export AWS_ENDPOINT_URL_S3="http://127.0.0.1:$port" AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench \
  AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
until python3 -c "import urllib.request; urllib.request.urlopen('$AWS_ENDPOINT_URL_S3/moto-api/')" 2>/dev/null; do
  sleep 0.5
done
PYTHONPATH=profiler python3 - "$objects" <<'PY'
import json, sys
from concurrent.futures import ThreadPoolExecutor
import boto3
from botocore.config import Config
from coldspy import s3_upload
document = json.load(open("fixtures/profiles/rules_engine.json"))
document["coldStarts"] = document["coldStarts"][:1]  # one environment, one cold start
body = json.dumps(document).encode()
s3 = boto3.client("s3", config=Config(s3={"addressing_style": "path"}, max_pool_connections=16))
s3.create_bucket(Bucket="fleet")
def put(n):
    result = s3_upload.upload(body, "s3://fleet/coldspy", function_name="rules-engine", function_version="1",
                              started_at=1796126400 + 60 * n, client=s3)
    assert result.error is None, result.error
with ThreadPoolExecutor(16) as pool:
    list(pool.map(put, range(int(sys.argv[1]))))
print("uploaded %s objects of %d bytes" % (sys.argv[1], len(body)))
PY
java -Xmx512m -cp "$classpath" dev.coldspy.profile.s3.S3LoadBenchmark s3://fleet/coldspy 3
