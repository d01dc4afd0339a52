#!/usr/bin/env python3
"""Outside oracle for the test suite: parses certificates, CSRs and CRLs with Python
`cryptography` (a strict Rust DER parser) and prints what it read as JSON.

Usage: inspect_x509.py cert|csr|crl FILE [FILE...]   (PEM or DER)
Prints one JSON array with an object per file; exits 1 if any file does not parse.
"""
import json
import sys

from cryptography import x509
from cryptography.x509.oid import ExtensionOID


def load(kind, data):
    pem = data.lstrip().startswith(b"-----BEGIN")
    if kind == "cert":
        return x509.load_pem_x509_certificate(data) if pem else x509.load_der_x509_certificate(data)
    if kind == "csr":
        return x509.load_pem_x509_csr(data) if pem else x509.load_der_x509_csr(data)
    return x509.load_pem_x509_crl(data) if pem else x509.load_der_x509_crl(data)


def general_name(g):
    if isinstance(g, x509.DNSName):
        return "DNS:" + g.value
    if isinstance(g, x509.RFC822Name):
        return "email:" + g.value
    if isinstance(g, x509.UniformResourceIdentifier):
        return "URI:" + g.value
    if isinstance(g, x509.IPAddress):
        return "IP:" + str(g.value)
    if isinstance(g, x509.DirectoryName):
        return "DirName:" + g.value.rfc4514_string()
    if isinstance(g, x509.RegisteredID):
        return "RID:" + g.value.dotted_string
    if isinstance(g, x509.OtherName):
        return "othername:" + g.type_id.dotted_string + ":" + g.value.hex()
    return "unknown:" + repr(g)


def extension(e):
    v = e.value
    out = {"oid": e.oid.dotted_string, "critical": e.critical}
    if isinstance(v, x509.BasicConstraints):
        out.update(ca=v.ca, path_length=v.path_length)
    elif isinstance(v, x509.KeyUsage):
        bits = ["digital_signature", "content_commitment", "key_encipherment", "data_encipherment",
                "key_agreement", "key_cert_sign", "crl_sign"]
        out["usages"] = [b for b in bits if getattr(v, b)]
        if v.key_agreement:
            if v.encipher_only:
                out["usages"].append("encipher_only")
            if v.decipher_only:
                out["usages"].append("decipher_only")
    elif isinstance(v, x509.ExtendedKeyUsage):
        out["purposes"] = [o.dotted_string for o in v]
    elif isinstance(v, x509.SubjectKeyIdentifier):
        out["key_id"] = v.digest.hex()
    elif isinstance(v, x509.AuthorityKeyIdentifier):
        out["key_id"] = v.key_identifier.hex() if v.key_identifier else None
    elif isinstance(v, (x509.SubjectAlternativeName, x509.IssuerAlternativeName)):
        out["names"] = [general_name(g) for g in v]
    elif isinstance(v, x509.CRLDistributionPoints):
        out["uris"] = [general_name(g) for dp in v for g in (dp.full_name or [])]
    elif isinstance(v, (x509.AuthorityInformationAccess, x509.SubjectInformationAccess)):
        out["access"] = [[d.access_method.dotted_string, general_name(d.access_location)] for d in v]
    elif isinstance(v, x509.CertificatePolicies):
        out["policies"] = [[p.policy_identifier.dotted_string, [str(q) for q in (p.policy_qualifiers or [])]] for p in v]
    elif isinstance(v, x509.CRLNumber):
        out["crl_number"] = v.crl_number
    elif isinstance(v, x509.IssuingDistributionPoint):
        out["uris"] = [general_name(g) for g in (v.full_name or [])]
    elif isinstance(v, x509.UnrecognizedExtension):
        out["value"] = v.value.hex()
    return out


def describe(kind, obj):
    d = {"subject": obj.subject.rfc4514_string() if kind != "crl" else None}
    if kind == "crl":
        d["issuer"] = obj.issuer.rfc4514_string()
        d["this_update"] = int(obj.last_update_utc.timestamp()) if hasattr(obj, "last_update_utc") else int(obj.last_update.timestamp())
        nu = obj.next_update_utc if hasattr(obj, "next_update_utc") else obj.next_update
        d["next_update"] = int(nu.timestamp()) if nu else None
        d["revoked"] = []
        for r in obj:
            entry = {"serial": format(r.serial_number, "x"),
                     "date": int((r.revocation_date_utc if hasattr(r, "revocation_date_utc") else r.revocation_date).timestamp())}
            try:
                entry["reason"] = r.extensions.get_extension_for_class(x509.CRLReason).value.reason.name
            except x509.ExtensionNotFound:
                entry["reason"] = None
            d["revoked"].append(entry)
    elif kind == "cert":
        d["issuer"] = obj.issuer.rfc4514_string()
        d["serial"] = format(obj.serial_number, "x")
        nb = obj.not_valid_before_utc if hasattr(obj, "not_valid_before_utc") else obj.not_valid_before
        na = obj.not_valid_after_utc if hasattr(obj, "not_valid_after_utc") else obj.not_valid_after
        d["not_before"] = int(nb.timestamp()) if nb.tzinfo else int(nb.replace(tzinfo=__import__("datetime").timezone.utc).timestamp())
        d["not_after"] = int(na.timestamp()) if na.tzinfo else int(na.replace(tzinfo=__import__("datetime").timezone.utc).timestamp())
        d["version"] = obj.version.name
    d["signature_algorithm"] = obj.signature_algorithm_oid.dotted_string
    d["extensions"] = [extension(e) for e in obj.extensions]
    return d


def main():
    kind = sys.argv[1]
    result = []
    for path in sys.argv[2:]:
        with open(path, "rb") as f:
            data = f.read()
        try:
            obj = load(kind, data)
            result.append(describe(kind, obj))
        except Exception as e:  # noqa: BLE001 - report any parse failure as a test failure
            print(json.dumps({"error": f"{path}: {type(e).__name__}: {e}"}))
            return 1
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
