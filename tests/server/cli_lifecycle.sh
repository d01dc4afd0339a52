#!/usr/bin/env bash
# The AWS CLI drives pca-server through the CA lifecycle (aws acm-pca ... --endpoint-url):
# root CA, RootCACertificate/V1, import; subordinate signed by the root, imported with its
# chain; an end-entity from an openssl CSR; revocation seen in the CRL file (openssl crl);
# audit report; tags; permissions; policy; pagination; disable, delete, restore; waiters.
# Usage: cli_lifecycle.sh PCA_SERVER AWS_CLI
set -euo pipefail
# Never `producer | grep -q`: grep -q exits at the first match and, under pipefail, a producer
# still writing (the AWS CLI) fails with EPIPE ("[Errno 32] Broken pipe"). Capture, then grep.
server="$1"
aws_cli="$2"

tmp="$(mktemp -d)"
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; echo "--- server stderr:" >&2; cat "$tmp/server.err" >&2 || true; exit 1; }

data="$tmp/data"
"$server" --listen 127.0.0.1:0 --data-dir "$data" > "$tmp/server.out" 2> "$tmp/server.err" &
pid=$!
port=""
for _ in $(seq 300); do
  port="$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$tmp/server.out")"
  [ -n "$port" ] && break
  kill -0 "$pid" 2>/dev/null || fail "pca-server exited before listening"
  sleep 0.1
done
[ -n "$port" ] || fail "pca-server did not print its port"

# A clean CLI environment: dummy keys, no config files, no pager, no metadata service.
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1
export AWS_CONFIG_FILE="$tmp/no-config" AWS_SHARED_CREDENTIALS_FILE="$tmp/no-credentials"
export AWS_PAGER="" AWS_EC2_METADATA_DISABLED=true AWS_MAX_ATTEMPTS=1
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_ENDPOINT_URL || true
pca() { "$aws_cli" acm-pca --endpoint-url "http://127.0.0.1:$port" --cli-read-timeout 60 "$@"; }
T="arn:aws:acm-pca:::template"
cd "$tmp"

cat > root.json <<'EOF'
{"KeyAlgorithm": "EC_prime256v1", "SigningAlgorithm": "SHA256WITHECDSA",
 "Subject": {"CommonName": "cli root", "Organization": "pca test"}}
EOF
cat > sub.json <<'EOF'
{"KeyAlgorithm": "EC_prime256v1", "SigningAlgorithm": "SHA256WITHECDSA",
 "Subject": {"CommonName": "cli subordinate", "Organization": "pca test"}}
EOF
cat > revocation.json <<'EOF'
{"CrlConfiguration": {"Enabled": true, "ExpirationInDays": 7, "S3BucketName": "cli-crl"}}
EOF

# ---- root ---------------------------------------------------------------------------------
root="$(pca create-certificate-authority --certificate-authority-configuration file://root.json \
  --certificate-authority-type ROOT --tags Key=env,Value=cli --query CertificateAuthorityArn --output text)"
[[ "$root" == arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/* ]] || fail "root ARN $root"
pca wait certificate-authority-csr-created --certificate-authority-arn "$root"
pca get-certificate-authority-csr --certificate-authority-arn "$root" --output text > root.csr
out="$(openssl req -in root.csr -noout -verify 2>&1)"; grep -q "verify OK" <<<"$out" || fail "root CSR does not verify"
cert_arn="$(pca issue-certificate --certificate-authority-arn "$root" --csr fileb://root.csr \
  --signing-algorithm SHA256WITHECDSA --template-arn "$T/RootCACertificate/V1" \
  --validity Value=10,Type=YEARS --query CertificateArn --output text)"
pca wait certificate-issued --certificate-authority-arn "$root" --certificate-arn "$cert_arn"
pca get-certificate --certificate-authority-arn "$root" --certificate-arn "$cert_arn" \
  --query Certificate --output text > root.pem
openssl verify -CAfile root.pem root.pem > /dev/null || fail "root certificate does not verify"
pca import-certificate-authority-certificate --certificate-authority-arn "$root" --certificate fileb://root.pem
status="$(pca describe-certificate-authority --certificate-authority-arn "$root" --query CertificateAuthority.Status --output text)"
[ "$status" = ACTIVE ] || fail "root is $status after import"

# ---- subordinate --------------------------------------------------------------------------------
sub="$(pca create-certificate-authority --certificate-authority-configuration file://sub.json \
  --revocation-configuration file://revocation.json --certificate-authority-type SUBORDINATE \
  --query CertificateAuthorityArn --output text)"
pca get-certificate-authority-csr --certificate-authority-arn "$sub" --output text > sub.csr
sub_cert_arn="$(pca issue-certificate --certificate-authority-arn "$root" --csr fileb://sub.csr \
  --signing-algorithm SHA256WITHECDSA --template-arn "$T/SubordinateCACertificate_PathLen0/V1" \
  --validity Value=5,Type=YEARS --query CertificateArn --output text)"
pca wait certificate-issued --certificate-authority-arn "$root" --certificate-arn "$sub_cert_arn"
pca get-certificate --certificate-authority-arn "$root" --certificate-arn "$sub_cert_arn" \
  --query Certificate --output text > sub.pem
openssl verify -CAfile root.pem sub.pem > /dev/null || fail "subordinate does not chain to the root"
pca import-certificate-authority-certificate --certificate-authority-arn "$sub" \
  --certificate fileb://sub.pem --certificate-chain fileb://root.pem

# ---- end-entity from an openssl CSR ---------------------------------------------------------------
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=cli.example.com" \
  -keyout ee.key -out ee.csr 2> /dev/null
ee_arn="$(pca issue-certificate --certificate-authority-arn "$sub" --csr fileb://ee.csr \
  --signing-algorithm SHA256WITHECDSA --validity Value=30,Type=DAYS --idempotency-token cli-ee \
  --query CertificateArn --output text)"
pca wait certificate-issued --certificate-authority-arn "$sub" --certificate-arn "$ee_arn"
pca get-certificate --certificate-authority-arn "$sub" --certificate-arn "$ee_arn" --query Certificate --output text > ee.pem
pca get-certificate --certificate-authority-arn "$sub" --certificate-arn "$ee_arn" --query CertificateChain --output text > ee-chain.pem
openssl verify -CAfile root.pem -untrusted sub.pem ee.pem > /dev/null || fail "end-entity does not verify"
grep -c "BEGIN CERTIFICATE" ee-chain.pem | grep -qx 2 || fail "the end-entity chain should hold 2 certificates"
out="$(openssl x509 -in ee.pem -noout -subject)"; grep -q "cli.example.com" <<<"$out" || fail "end-entity subject"

# ---- revoke; the serial is in the CRL file ----------------------------------------------------------
serial="$(openssl x509 -in ee.pem -noout -serial | sed 's/^serial=//')"
pca revoke-certificate --certificate-authority-arn "$sub" --certificate-serial "$serial" --revocation-reason KEY_COMPROMISE
crl="$data/buckets/cli-crl/crl/${sub##*/}.crl"
[ -s "$crl" ] || fail "no CRL at $crl"
cat sub.pem root.pem > chain.pem
out="$(openssl crl -inform DER -in "$crl" -CAfile chain.pem -noout 2>&1)"; grep -q "verify OK" <<<"$out" || fail "CRL signature"
out="$(openssl crl -inform DER -in "$crl" -noout -text | tr -d ' ')"; grep -qi "SerialNumber:$serial" <<<"$out" || fail "serial $serial not in the CRL"
if pca revoke-certificate --certificate-authority-arn "$sub" --certificate-serial "$serial" \
     --revocation-reason KEY_COMPROMISE 2> err.txt; then fail "second revocation succeeded"; fi
grep -q RequestAlreadyProcessedException err.txt || fail "second revocation: $(cat err.txt)"

# ---- audit report --------------------------------------------------------------------------------------
report_id="$(pca create-certificate-authority-audit-report --certificate-authority-arn "$sub" \
  --s3-bucket-name cli-audit --audit-report-response-format CSV --query AuditReportId --output text)"
pca wait audit-report-created --certificate-authority-arn "$sub" --audit-report-id "$report_id"
key="$(pca describe-certificate-authority-audit-report --certificate-authority-arn "$sub" \
  --audit-report-id "$report_id" --query S3Key --output text)"
grep -q "$ee_arn" "$data/buckets/cli-audit/$key" || fail "audit report does not list $ee_arn"

# ---- tags, permissions, policy ----------------------------------------------------------------------------
pca tag-certificate-authority --certificate-authority-arn "$root" --tags Key=team,Value=pki
[ "$(pca list-tags --certificate-authority-arn "$root" --query 'length(Tags)' --output text)" = 2 ] || fail "tags"
pca untag-certificate-authority --certificate-authority-arn "$root" --tags Key=team
[ "$(pca list-tags --certificate-authority-arn "$root" --query 'Tags[0].Value' --output text)" = cli ] || fail "untag"
pca create-permission --certificate-authority-arn "$sub" --principal acm.amazonaws.com \
  --actions IssueCertificate GetCertificate ListPermissions
[ "$(pca list-permissions --certificate-authority-arn "$sub" --query 'length(Permissions[0].Actions)' --output text)" = 3 ] \
  || fail "permissions"
pca delete-permission --certificate-authority-arn "$sub" --principal acm.amazonaws.com
cat > policy.json <<EOF
{"Version": "2012-10-17", "Statement": [{"Sid": "share", "Effect": "Allow",
  "Principal": {"AWS": "111122223333"}, "Action": ["acm-pca:DescribeCertificateAuthority"],
  "Resource": "$sub"}]}
EOF
pca put-policy --resource-arn "$sub" --policy file://policy.json
out="$(pca get-policy --resource-arn "$sub" --query Policy --output text)"; grep -q 111122223333 <<<"$out" || fail "get-policy: $out"
pca delete-policy --resource-arn "$sub"

# ---- pagination: the CLI follows NextToken itself ------------------------------------------------------------
n="$(pca list-certificate-authorities --page-size 1 --query 'CertificateAuthorities[].Arn' --output text | grep -o 'certificate-authority/' | wc -l)"
[ "$n" -eq 2 ] || fail "paginated list found $n CAs, not 2"
pca list-certificate-authorities --max-items 1 --output json > page.json
grep -q NextToken page.json || fail "no NextToken with --max-items 1"

# ---- disable, delete, restore -------------------------------------------------------------------------------------
pca update-certificate-authority --certificate-authority-arn "$sub" --status DISABLED
pca delete-certificate-authority --certificate-authority-arn "$sub" --permanent-deletion-time-in-days 7
[ "$(pca describe-certificate-authority --certificate-authority-arn "$sub" --query CertificateAuthority.Status --output text)" = DELETED ] \
  || fail "delete"
pca restore-certificate-authority --certificate-authority-arn "$sub"
[ "$(pca describe-certificate-authority --certificate-authority-arn "$sub" --query CertificateAuthority.Status --output text)" = DISABLED ] \
  || fail "restore"

# ---- an error reaches the CLI by its model name ---------------------------------------------------------------------
if pca describe-certificate-authority --certificate-authority-arn "${root%/*}/00000000-0000-4000-8000-000000000000" 2> err.txt; then
  fail "describing a missing CA succeeded"
fi
grep -q ResourceNotFoundException err.txt || fail "missing CA: $(cat err.txt)"

kill -TERM "$pid"
for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
wait "$pid" || fail "pca-server exited with $?"
pid=""
echo "AWS CLI lifecycle: OK"
