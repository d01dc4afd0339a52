#!/usr/bin/env python3
"""pca-server --credentials: SigV4 decides the account, and resource policies separate accounts.

Two keys of two accounts. Account A's CA is invisible to account B until A's policy shares
it; then B can use what the policy allows and nothing else. Unsigned requests, wrong secrets,
unknown keys, another region and a skewed clock are refused with AWS's error names.
"""
import contextlib
import datetime
import importlib
import json
import os
import sys
import types

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import server_util  # noqa: E402

import botocore.auth  # noqa: E402
import botocore.exceptions  # noqa: E402

A_KEY, A_SECRET, A_ACCOUNT = "AKIAACCOUNTA", "secret-of-account-a/+x", "111111111111"
B_KEY, B_SECRET, B_ACCOUNT = "AKIAACCOUNTB", "secret-of-account-b", "222222222222"


def expect_error(code, fn, status=400, **kwargs):
    try:
        fn(**kwargs)
    except botocore.exceptions.ClientError as e:
        got = e.response["Error"]["Code"]
        assert got == code, "expected %s, got %s: %s" % (code, got, e)
        assert e.response["ResponseMetadata"]["HTTPStatusCode"] == status, e.response["ResponseMetadata"]
        return e
    raise AssertionError("expected %s" % code)


@contextlib.contextmanager
def signing_clock_behind(delta):
    """Moves the clock botocore's signers read: get_current_datetime (newer botocore) or
    datetime.datetime.utcnow (older, e.g. Debian 12's 1.29), in botocore.auth and, when
    awscrt is installed (Debian's awscli brings it), in the CRT signer botocore prefers."""
    class _datetime(datetime.datetime):
        @classmethod
        def utcnow(cls):
            return datetime.datetime.utcnow() - delta

        @classmethod
        def now(cls, tz=None):
            return datetime.datetime.now(tz) - delta

    modules = [botocore.auth]
    try:
        modules.append(importlib.import_module("botocore.crt.auth"))
    except ImportError:
        pass
    saved = []
    for m in modules:
        if hasattr(m, "get_current_datetime"):
            real = m.get_current_datetime
            saved.append((m, "get_current_datetime", real))
            m.get_current_datetime = (lambda real: lambda *a, **k: real(*a, **k) - delta)(real)
        if hasattr(m, "datetime"):
            saved.append((m, "datetime", m.datetime))
            m.datetime = types.SimpleNamespace(datetime=_datetime, timedelta=datetime.timedelta, timezone=datetime.timezone)
    try:
        yield
    finally:
        for m, name, value in saved:
            setattr(m, name, value)


def main():
    args = server_util.parse_args()
    with server_util.temp_dir() as tmp:
        creds = os.path.join(tmp, "credentials")
        with open(creds, "w") as f:
            f.write("# ACCESS_KEY_ID SECRET_ACCESS_KEY ACCOUNT_ID\n")
            f.write("%s %s %s\n%s %s %s\n" % (A_KEY, A_SECRET, A_ACCOUNT, B_KEY, B_SECRET, B_ACCOUNT))
        extra = ["--credentials", creds, "--account-id", "999999999999"]
        with server_util.Server(args.server, os.path.join(tmp, "data"), extra) as server:
            a = server_util.boto3_client(server.endpoint, A_KEY, A_SECRET)
            b = server_util.boto3_client(server.endpoint, B_KEY, B_SECRET)

            arn = a.create_certificate_authority(
                CertificateAuthorityConfiguration={
                    "KeyAlgorithm": "EC_prime256v1",
                    "SigningAlgorithm": "SHA256WITHECDSA",
                    "Subject": {"CommonName": "account A root"},
                },
                CertificateAuthorityType="ROOT",
            )["CertificateAuthorityArn"]
            assert ":%s:" % A_ACCOUNT in arn, arn
            assert [c["Arn"] for c in a.list_certificate_authorities()["CertificateAuthorities"]] == [arn]

            # B sees nothing of A's.
            assert b.list_certificate_authorities()["CertificateAuthorities"] == []
            assert b.list_certificate_authorities(ResourceOwner="OTHER_ACCOUNTS")["CertificateAuthorities"] == []
            expect_error("AccessDeniedException", b.describe_certificate_authority, CertificateAuthorityArn=arn)
            expect_error("AccessDeniedException", b.list_tags, CertificateAuthorityArn=arn)
            # B cannot share A's CA with itself.
            expect_error("AccessDeniedException", b.put_policy, ResourceArn=arn, Policy=json.dumps({
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Principal": {"AWS": B_ACCOUNT},
                               "Action": "acm-pca:DescribeCertificateAuthority", "Resource": arn}]}))

            # A shares the CA with B: describing it and listing its tags, nothing more.
            a.put_policy(ResourceArn=arn, Policy=json.dumps({
                "Version": "2012-10-17",
                "Statement": [{
                    "Sid": "share-with-b",
                    "Effect": "Allow",
                    "Principal": {"AWS": "arn:aws:iam::%s:root" % B_ACCOUNT},
                    "Action": ["acm-pca:DescribeCertificateAuthority", "acm-pca:ListTags"],
                    "Resource": arn,
                }],
            }))
            ca = b.describe_certificate_authority(CertificateAuthorityArn=arn)["CertificateAuthority"]
            assert ca["OwnerAccount"] == A_ACCOUNT, ca
            assert b.list_tags(CertificateAuthorityArn=arn)["Tags"] == []
            expect_error("AccessDeniedException", b.get_certificate_authority_csr, CertificateAuthorityArn=arn)
            shared = b.list_certificate_authorities(ResourceOwner="OTHER_ACCOUNTS")["CertificateAuthorities"]
            assert [c["Arn"] for c in shared] == [arn], shared
            assert b.list_certificate_authorities()["CertificateAuthorities"] == []
            expect_error("AccessDeniedException", b.update_certificate_authority, CertificateAuthorityArn=arn, Status="DISABLED")
            expect_error("AccessDeniedException", b.delete_policy, ResourceArn=arn)
            a.delete_policy(ResourceArn=arn)
            expect_error("AccessDeniedException", b.describe_certificate_authority, CertificateAuthorityArn=arn)

            # Refused before anything runs.
            unsigned = server_util.boto3_client(server.endpoint, unsigned=True)
            expect_error("MissingAuthenticationTokenException", unsigned.list_certificate_authorities)
            wrong = server_util.boto3_client(server.endpoint, A_KEY, "not-the-secret")
            expect_error("InvalidSignatureException", wrong.list_certificate_authorities)
            unknown = server_util.boto3_client(server.endpoint, "AKIAUNKNOWN", "whatever")
            expect_error("UnrecognizedClientException", unknown.list_certificate_authorities)
            import boto3
            import botocore.config
            other_region = boto3.session.Session().client(
                "acm-pca", endpoint_url=server.endpoint, region_name="eu-west-1",
                aws_access_key_id=A_KEY, aws_secret_access_key=A_SECRET,
                config=botocore.config.Config(retries={"total_max_attempts": 1}))
            e = expect_error("InvalidSignatureException", other_region.list_certificate_authorities)
            assert "region" in e.response["Error"]["Message"], e.response["Error"]
            with signing_clock_behind(datetime.timedelta(minutes=20)):
                e = expect_error("InvalidSignatureException", a.list_certificate_authorities)
            assert "expired" in e.response["Error"]["Message"], e.response["Error"]
    print("credentials: OK")


if __name__ == "__main__":
    main()
