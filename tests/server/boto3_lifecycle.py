#!/usr/bin/env python3
"""boto3 drives pca-server through a whole CA lifecycle, unchanged (endpoint_url only).

Root CA -> CSR -> RootCACertificate/V1 -> import; subordinate signed by the root, imported
with its chain; an end-entity from a CSR made by Python `cryptography`; revocation seen in
the CRL file of the bucket directory; audit report; tags; permissions; policy; a paginated
list; disable, delete, restore; the certificate_issued and audit_report_created waiters.
Every certificate, CSR and CRL is checked with `cryptography`, and every response against the
botocore model (server_util.check_response_against_model).
"""
import datetime
import json
import os
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import server_util  # noqa: E402

import botocore.exceptions  # noqa: E402
from cryptography import x509  # noqa: E402
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402
from cryptography.x509.oid import NameOID, ExtensionOID  # noqa: E402

TEMPLATE = "arn:aws:acm-pca:::template/"
WAIT = {"Delay": 1, "MaxAttempts": 30}


def expect_error(code, fn, *args, **kwargs):
    try:
        fn(*args, **kwargs)
    except botocore.exceptions.ClientError as e:
        got = e.response["Error"]["Code"]
        assert got == code, "expected %s, got %s: %s" % (code, got, e)
        assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 400, e.response["ResponseMetadata"]
        return e
    raise AssertionError("expected %s from %s" % (code, fn.__name__))


def ca_config(cn):
    return {
        "KeyAlgorithm": "EC_prime256v1",
        "SigningAlgorithm": "SHA256WITHECDSA",
        "Subject": {"CommonName": cn, "Organization": "pca test", "Country": "US"},
    }


def crl_config(bucket):
    return {"CrlConfiguration": {"Enabled": True, "ExpirationInDays": 7, "S3BucketName": bucket}}


def load_pem_chain(text):
    """PEM blocks in order (Debian 12's cryptography 38 has no load_pem_x509_certificates)."""
    end = "-----END CERTIFICATE-----"
    blocks = [b + end for b in text.split(end) if b.strip()]
    return [x509.load_pem_x509_certificate(b.strip().encode()) for b in blocks]


def verify_signed_by(cert, issuer_cert):
    issuer_cert.public_key().verify(cert.signature, cert.tbs_certificate_bytes, ec.ECDSA(cert.signature_hash_algorithm))
    assert cert.issuer == issuer_cert.subject


def issue_and_wait(pca, ca_arn, csr_pem, template, validity):
    arn = pca.issue_certificate(
        CertificateAuthorityArn=ca_arn,
        Csr=csr_pem.encode() if isinstance(csr_pem, str) else csr_pem,
        SigningAlgorithm="SHA256WITHECDSA",
        TemplateArn=TEMPLATE + template,
        Validity=validity,
        IdempotencyToken="tok-" + template.replace("/", "-")[:20],
    )["CertificateArn"]
    pca.get_waiter("certificate_issued").wait(CertificateAuthorityArn=ca_arn, CertificateArn=arn, WaiterConfig=WAIT)
    return arn, pca.get_certificate(CertificateAuthorityArn=ca_arn, CertificateArn=arn)


def run(server, data_dir):
    pca = server_util.boto3_client(server.endpoint)

    # ---- root CA -------------------------------------------------------------------------
    root_arn = pca.create_certificate_authority(
        CertificateAuthorityConfiguration=ca_config("pca test root"),
        RevocationConfiguration=crl_config("root-crl"),
        CertificateAuthorityType="ROOT",
        IdempotencyToken="create-root",
        Tags=[{"Key": "env", "Value": "test"}],
    )["CertificateAuthorityArn"]
    assert root_arn.startswith("arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/"), root_arn
    # The same idempotency token answers with the same CA.
    again = pca.create_certificate_authority(
        CertificateAuthorityConfiguration=ca_config("pca test root"),
        RevocationConfiguration=crl_config("root-crl"),
        CertificateAuthorityType="ROOT",
        IdempotencyToken="create-root",
        Tags=[{"Key": "env", "Value": "test"}],
    )["CertificateAuthorityArn"]
    assert again == root_arn
    ca = pca.describe_certificate_authority(CertificateAuthorityArn=root_arn)["CertificateAuthority"]
    assert ca["Status"] == "PENDING_CERTIFICATE", ca
    assert isinstance(ca["CreatedAt"], datetime.datetime), ca["CreatedAt"]
    assert ca["CertificateAuthorityConfiguration"]["Subject"]["CommonName"] == "pca test root"
    expect_error("InvalidStateException", pca.get_certificate_authority_certificate, CertificateAuthorityArn=root_arn)

    pca.get_waiter("certificate_authority_csr_created").wait(CertificateAuthorityArn=root_arn, WaiterConfig=WAIT)
    root_csr_pem = pca.get_certificate_authority_csr(CertificateAuthorityArn=root_arn)["Csr"]
    root_csr = x509.load_pem_x509_csr(root_csr_pem.encode())
    assert root_csr.is_signature_valid
    assert root_csr.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "pca test root"

    root_cert_arn, got = issue_and_wait(pca, root_arn, root_csr_pem, "RootCACertificate/V1", {"Value": 10, "Type": "YEARS"})
    assert "CertificateChain" not in got, "a root's own certificate has no chain"
    root_pem = got["Certificate"]
    root_cert = x509.load_pem_x509_certificate(root_pem.encode())
    verify_signed_by(root_cert, root_cert)
    assert root_cert.extensions.get_extension_for_oid(ExtensionOID.BASIC_CONSTRAINTS).value.ca
    assert root_cert.public_key().public_numbers() == root_csr.public_key().public_numbers()

    pca.import_certificate_authority_certificate(CertificateAuthorityArn=root_arn, Certificate=root_pem.encode())
    ca = pca.describe_certificate_authority(CertificateAuthorityArn=root_arn)["CertificateAuthority"]
    assert ca["Status"] == "ACTIVE", ca
    assert ca["NotAfter"] > ca["NotBefore"]
    got = pca.get_certificate_authority_certificate(CertificateAuthorityArn=root_arn)
    assert got["Certificate"].strip() == root_pem.strip()

    # ---- subordinate CA, signed by the root --------------------------------------------------
    sub_arn = pca.create_certificate_authority(
        CertificateAuthorityConfiguration=ca_config("pca test subordinate"),
        RevocationConfiguration=crl_config("sub-crl"),
        CertificateAuthorityType="SUBORDINATE",
    )["CertificateAuthorityArn"]
    sub_csr_pem = pca.get_certificate_authority_csr(CertificateAuthorityArn=sub_arn)["Csr"]
    _, got = issue_and_wait(pca, root_arn, sub_csr_pem, "SubordinateCACertificate_PathLen0/V1", {"Value": 5, "Type": "YEARS"})
    sub_pem = got["Certificate"]
    assert got["CertificateChain"].strip() == root_pem.strip()
    sub_cert = x509.load_pem_x509_certificate(sub_pem.encode())
    verify_signed_by(sub_cert, root_cert)
    bc = sub_cert.extensions.get_extension_for_oid(ExtensionOID.BASIC_CONSTRAINTS).value
    assert bc.ca and bc.path_length == 0

    pca.import_certificate_authority_certificate(
        CertificateAuthorityArn=sub_arn, Certificate=sub_pem.encode(), CertificateChain=root_pem.encode()
    )
    got = pca.get_certificate_authority_certificate(CertificateAuthorityArn=sub_arn)
    assert got["CertificateChain"].strip() == root_pem.strip()
    assert pca.describe_certificate_authority(CertificateAuthorityArn=sub_arn)["CertificateAuthority"]["Status"] == "ACTIVE"

    # ---- end-entity from a CSR made by cryptography -------------------------------------------
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    leaf_csr = (
        x509.CertificateSigningRequestBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "leaf.example.com")]))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("leaf.example.com")]), critical=False)
        .sign(leaf_key, hashes.SHA256())
    )
    leaf_csr_pem = leaf_csr.public_bytes(serialization.Encoding.PEM)
    leaf_arn, got = issue_and_wait(pca, sub_arn, leaf_csr_pem, "EndEntityCertificate/V1", {"Value": 30, "Type": "DAYS"})
    leaf = x509.load_pem_x509_certificate(got["Certificate"].encode())
    verify_signed_by(leaf, sub_cert)
    chain = load_pem_chain(got["CertificateChain"])
    assert [c.subject for c in chain] == [sub_cert.subject, root_cert.subject]
    assert leaf.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "leaf.example.com"
    san = leaf.extensions.get_extension_for_oid(ExtensionOID.SUBJECT_ALTERNATIVE_NAME).value
    assert san.get_values_for_type(x509.DNSName) == ["leaf.example.com"]
    # The ARN names the serial in hex: all 16 octets, so a serial starting 0x01-0x0f keeps its
    # leading zero digit there (format(n, "x") would not: compare the numbers).
    arn_prefix, _, arn_serial = leaf_arn.rpartition("/certificate/")
    assert arn_prefix == sub_arn and int(arn_serial, 16) == leaf.serial_number, (leaf_arn, leaf.serial_number)
    expect_error("MalformedCSRException", pca.issue_certificate, CertificateAuthorityArn=sub_arn, Csr=b"not a csr",
                 SigningAlgorithm="SHA256WITHECDSA", Validity={"Value": 1, "Type": "DAYS"})

    # ---- concurrent issuance: httplib's workers share one service ---------------------------------
    clients = [server_util.boto3_client(server.endpoint) for _ in range(4)]
    issued, failures = [], []

    def issue_many(client):
        try:
            for _ in range(5):
                arn = client.issue_certificate(CertificateAuthorityArn=sub_arn, Csr=leaf_csr_pem, SigningAlgorithm="SHA256WITHECDSA",
                                               Validity={"Value": 1, "Type": "DAYS"})["CertificateArn"]
                pem = client.get_certificate(CertificateAuthorityArn=sub_arn, CertificateArn=arn)["Certificate"]
                issued.append((arn, x509.load_pem_x509_certificate(pem.encode())))
        except Exception as e:  # noqa: BLE001
            failures.append(e)
    threads = [threading.Thread(target=issue_many, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not failures, failures
    assert len(issued) == 20 and len({c.serial_number for _, c in issued}) == 20, len(issued)
    for _, c in issued:
        verify_signed_by(c, sub_cert)

    # ---- revoke, and find the serial in the CRL of the bucket directory ------------------------
    serial_hex = format(leaf.serial_number, "x")
    if len(serial_hex) % 2:
        serial_hex = "0" + serial_hex
    colon_serial = ":".join(serial_hex[i:i + 2] for i in range(0, len(serial_hex), 2))
    pca.revoke_certificate(CertificateAuthorityArn=sub_arn, CertificateSerial=colon_serial, RevocationReason="KEY_COMPROMISE")
    expect_error("RequestAlreadyProcessedException", pca.revoke_certificate, CertificateAuthorityArn=sub_arn,
                 CertificateSerial=colon_serial, RevocationReason="KEY_COMPROMISE")
    sub_id = sub_arn.rsplit("/", 1)[1]
    crl_path = os.path.join(data_dir, "buckets", "sub-crl", "crl", sub_id + ".crl")
    with open(crl_path, "rb") as f:
        crl = x509.load_der_x509_crl(f.read())
    assert crl.is_signature_valid(sub_cert.public_key())
    revoked = crl.get_revoked_certificate_by_serial_number(leaf.serial_number)
    assert revoked is not None, "the revoked serial is not in %s" % crl_path
    assert revoked.extensions.get_extension_for_class(x509.CRLReason).value.reason == x509.ReasonFlags.key_compromise

    # ---- audit report ---------------------------------------------------------------------------
    report = pca.create_certificate_authority_audit_report(
        CertificateAuthorityArn=sub_arn, S3BucketName="audit-reports", AuditReportResponseFormat="JSON"
    )
    pca.get_waiter("audit_report_created").wait(
        CertificateAuthorityArn=sub_arn, AuditReportId=report["AuditReportId"], WaiterConfig=WAIT
    )
    desc = pca.describe_certificate_authority_audit_report(CertificateAuthorityArn=sub_arn, AuditReportId=report["AuditReportId"])
    assert desc["AuditReportStatus"] == "SUCCESS" and desc["S3Key"] == report["S3Key"], desc
    with open(os.path.join(data_dir, "buckets", "audit-reports", report["S3Key"])) as f:
        entries = json.load(f)
    assert len(entries) == 21, len(entries)
    [leaf_entry] = [e for e in entries if e["certificateArn"] == leaf_arn]
    assert leaf_entry["revocationReason"] == "KEY_COMPROMISE", leaf_entry
    assert {e["certificateArn"] for e in entries} == {leaf_arn} | {arn for arn, _ in issued}
    expect_error("RequestInProgressException", pca.create_certificate_authority_audit_report,
                 CertificateAuthorityArn=sub_arn, S3BucketName="audit-reports", AuditReportResponseFormat="CSV")

    # ---- tags ------------------------------------------------------------------------------------
    assert pca.list_tags(CertificateAuthorityArn=root_arn)["Tags"] == [{"Key": "env", "Value": "test"}]
    pca.tag_certificate_authority(CertificateAuthorityArn=root_arn, Tags=[{"Key": "team", "Value": "pki"}, {"Key": "env", "Value": "prod"}])
    tags = {t["Key"]: t.get("Value") for t in pca.list_tags(CertificateAuthorityArn=root_arn)["Tags"]}
    assert tags == {"env": "prod", "team": "pki"}, tags
    pca.untag_certificate_authority(CertificateAuthorityArn=root_arn, Tags=[{"Key": "team"}])
    assert pca.list_tags(CertificateAuthorityArn=root_arn)["Tags"] == [{"Key": "env", "Value": "prod"}]
    expect_error("InvalidTagException", pca.tag_certificate_authority, CertificateAuthorityArn=root_arn,
                 Tags=[{"Key": "aws:reserved", "Value": "x"}])

    # ---- permissions -----------------------------------------------------------------------------
    pca.create_permission(CertificateAuthorityArn=sub_arn, Principal="acm.amazonaws.com",
                          Actions=["IssueCertificate", "GetCertificate", "ListPermissions"])
    perms = pca.list_permissions(CertificateAuthorityArn=sub_arn)["Permissions"]
    assert len(perms) == 1 and sorted(perms[0]["Actions"]) == ["GetCertificate", "IssueCertificate", "ListPermissions"], perms
    assert perms[0]["Principal"] == "acm.amazonaws.com" and isinstance(perms[0]["CreatedAt"], datetime.datetime)
    json.loads(perms[0]["Policy"])
    expect_error("PermissionAlreadyExistsException", pca.create_permission, CertificateAuthorityArn=sub_arn,
                 Principal="acm.amazonaws.com", Actions=["IssueCertificate"])
    pca.delete_permission(CertificateAuthorityArn=sub_arn, Principal="acm.amazonaws.com")
    assert pca.list_permissions(CertificateAuthorityArn=sub_arn)["Permissions"] == []

    # ---- resource policy ---------------------------------------------------------------------------
    policy = json.dumps({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "share",
            "Effect": "Allow",
            "Principal": {"AWS": "111122223333"},
            "Action": ["acm-pca:DescribeCertificateAuthority", "acm-pca:GetCertificate",
                       "acm-pca:GetCertificateAuthorityCertificate", "acm-pca:ListPermissions", "acm-pca:ListTags"],
            "Resource": sub_arn,
        }],
    })
    expect_error("ResourceNotFoundException", pca.get_policy, ResourceArn=sub_arn)
    pca.put_policy(ResourceArn=sub_arn, Policy=policy)
    assert json.loads(pca.get_policy(ResourceArn=sub_arn)["Policy"]) == json.loads(policy)
    expect_error("InvalidPolicyException", pca.put_policy, ResourceArn=sub_arn, Policy="{not json")
    pca.delete_policy(ResourceArn=sub_arn)
    expect_error("ResourceNotFoundException", pca.get_policy, ResourceArn=sub_arn)

    # ---- a paginated list ------------------------------------------------------------------------
    more = [
        pca.create_certificate_authority(CertificateAuthorityConfiguration=ca_config("extra %d" % i),
                                         CertificateAuthorityType="ROOT")["CertificateAuthorityArn"]
        for i in range(3)
    ]
    pages = list(pca.get_paginator("list_certificate_authorities").paginate(PaginationConfig={"PageSize": 2}))
    listed = [c["Arn"] for p in pages for c in p["CertificateAuthorities"]]
    assert len(pages) == 3, [len(p["CertificateAuthorities"]) for p in pages]
    assert sorted(listed) == sorted([root_arn, sub_arn] + more), listed
    assert "NextToken" in pages[0] and "NextToken" not in pages[-1]
    expect_error("InvalidNextTokenException", pca.list_certificate_authorities, NextToken="bogus")
    shared = pca.list_certificate_authorities(ResourceOwner="OTHER_ACCOUNTS")["CertificateAuthorities"]
    assert shared == [], shared

    # ---- disable, delete, restore -------------------------------------------------------------------
    pca.update_certificate_authority(CertificateAuthorityArn=sub_arn, Status="DISABLED")
    assert pca.describe_certificate_authority(CertificateAuthorityArn=sub_arn)["CertificateAuthority"]["Status"] == "DISABLED"
    expect_error("InvalidStateException", pca.issue_certificate, CertificateAuthorityArn=sub_arn, Csr=leaf_csr_pem,
                 SigningAlgorithm="SHA256WITHECDSA", Validity={"Value": 1, "Type": "DAYS"})
    pca.delete_certificate_authority(CertificateAuthorityArn=sub_arn, PermanentDeletionTimeInDays=7)
    ca = pca.describe_certificate_authority(CertificateAuthorityArn=sub_arn)["CertificateAuthority"]
    assert ca["Status"] == "DELETED" and "RestorableUntil" in ca, ca
    days = (ca["RestorableUntil"] - ca["LastStateChangeAt"]).total_seconds() / 86400
    assert abs(days - 7) < 0.01, days
    pca.restore_certificate_authority(CertificateAuthorityArn=sub_arn)
    ca = pca.describe_certificate_authority(CertificateAuthorityArn=sub_arn)["CertificateAuthority"]
    assert ca["Status"] == "DISABLED" and "RestorableUntil" not in ca, ca
    pca.update_certificate_authority(CertificateAuthorityArn=sub_arn, Status="ACTIVE")
    # The certificate issued before is still there.
    pca.get_certificate(CertificateAuthorityArn=sub_arn, CertificateArn=leaf_arn)

    # ---- errors with their model names ----------------------------------------------------------------
    missing = root_arn.rsplit("/", 1)[0] + "/00000000-0000-4000-8000-000000000000"
    expect_error("ResourceNotFoundException", pca.describe_certificate_authority, CertificateAuthorityArn=missing)
    expect_error("InvalidArnException", pca.describe_certificate_authority, CertificateAuthorityArn="arn:aws:nope")
    return root_arn, sub_arn


def main():
    args = server_util.parse_args()
    with server_util.temp_dir() as tmp:
        data_dir = os.path.join(tmp, "data")
        with server_util.Server(args.server, data_dir) as server:
            root_arn, sub_arn = run(server, data_dir)
        # State is durable: a new server on the same directory (same kek file) sees it all.
        assert os.stat(os.path.join(data_dir, "kek")).st_mode & 0o777 == 0o600
        with server_util.Server(args.server, data_dir) as server:
            pca = server_util.boto3_client(server.endpoint)
            ca = pca.describe_certificate_authority(CertificateAuthorityArn=root_arn)["CertificateAuthority"]
            assert ca["Status"] == "ACTIVE", ca
            pca.get_certificate_authority_certificate(CertificateAuthorityArn=sub_arn)
    print("boto3 lifecycle: OK")


if __name__ == "__main__":
    main()
