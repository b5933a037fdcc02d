"""Throw-away TLS certificates for tests: a CA of its own and a server certificate it signed,
for 127.0.0.1 and localhost (subjectAltName IP:127.0.0.1, DNS:localhost), made with the
openssl command line. Trusting the CA file (mail.smtp_ca_file, a mailbox's ca_file) is then
what a site with its own CA does; without it, verification fails as it should.

Used by imap_server.py (dovecot) and the SMTP tests (smtp_sink.py). Standard library only.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Certificates:
    ca: Path    # the CA's certificate (PEM): what a client is told to trust
    cert: Path  # the server's certificate (PEM), signed by the CA
    key: Path   # the server's private key (PEM, unencrypted)


def _openssl(*args: str) -> None:
    done = subprocess.run(["openssl", *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"openssl {args[0]} failed: {done.stderr}")


def make_certificates(folder: str | os.PathLike, name: str = "test") -> Certificates:
    """NAME-ca.pem, NAME-cert.pem and NAME-key.pem in `folder` (valid for two days)."""
    d = Path(folder)
    d.mkdir(parents=True, exist_ok=True)
    ca_key, ca = d / f"{name}-ca-key.pem", d / f"{name}-ca.pem"
    key, csr, cert = d / f"{name}-key.pem", d / f"{name}.csr", d / f"{name}-cert.pem"
    ext = d / f"{name}-ext.cnf"
    # P-256 keys: quick to make, and every TLS stack here (OpenSSL 3 under libcurl, dovecot,
    # Python's ssl) takes them.
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    _openssl("req", "-x509", *ec, "-days", "2", "-subj", f"/CN=Firstline {name} test CA",
             "-keyout", str(ca_key), "-out", str(ca),
             "-addext", "basicConstraints=critical,CA:TRUE",
             "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    _openssl("req", "-new", *ec, "-subj", "/CN=localhost", "-keyout", str(key), "-out", str(csr))
    ext.write_text("basicConstraints=CA:FALSE\n"
                   "keyUsage=critical,digitalSignature,keyEncipherment\n"
                   "extendedKeyUsage=serverAuth\n"
                   "subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    _openssl("x509", "-req", "-in", str(csr), "-CA", str(ca), "-CAkey", str(ca_key),
             "-CAcreateserial", "-days", "2", "-extfile", str(ext), "-out", str(cert))
    return Certificates(ca=ca, cert=cert, key=key)
