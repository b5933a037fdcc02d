#!/usr/bin/python3
"""A throw-away IMAP server for tests: Debian's dovecot in the foreground, on loopback, as the
current user (as root: dovecot's own users, which it insists on), with everything
(configuration, maildirs, a certificate and its CA, logs) in one temporary folder that goes
with it.

One instance serves both ways in: a plain port (STARTTLS offered, plain login allowed, for
loopback only) and an IMAPS port, with a certificate for 127.0.0.1 and localhost signed by a
throw-away CA (tls_certs.py) whose file is FL_IMAP_CA_FILE. Users box1..box20 (password
"secret") each have a maildir at MAILDIR_ROOT/<user>; tests deliver by writing files into
<maildir>/new and read flags and folders from the file names (Maildir++:
".Folder/cur/<name>:2,S").

  imap_server.py -- COMMAND ...   runs COMMAND with FL_IMAP_PORT, FL_IMAPS_PORT,
                                  FL_IMAP_MAILDIR_ROOT, FL_IMAP_CA_FILE set, then stops
                                  the server
  imap_server.py                  prints the variables and serves until interrupted
"""
import os
import pwd
import signal
import socket
import subprocess
import sys
import tempfile
import time

from tls_certs import make_certificates

DOVECOT = "/usr/sbin/dovecot"
USERS = [f"box{i}" for i in range(1, 21)]
PASSWORD = "secret"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, proc, greeting=True, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
                if not greeting or s.recv(100).startswith(b"* OK"):
                    return True
        except OSError:
            time.sleep(0.05)
    return False


class ImapServer:
    def __init__(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="firstline-imap-")
        root = self.tmp.name
        os.chmod(root, 0o755)  # dovecot's auth process reads the passwd file as its own user
        self.maildir_root = os.path.join(root, "mail")
        os.makedirs(self.maildir_root)
        for u in USERS:
            for sub in ("new", "cur", "tmp"):
                os.makedirs(os.path.join(self.maildir_root, u, sub))
        # A CA of its own and a certificate for 127.0.0.1/localhost it signed: untrusted unless
        # a client is given FL_IMAP_CA_FILE (a mailbox's ca_file), like a site's own CA.
        certs = make_certificates(root, "dovecot")
        cert, key, self.ca_file = str(certs.cert), str(certs.key), str(certs.ca)
        with open(os.path.join(root, "passwd"), "w") as f:
            for u in USERS:
                f.write(f"{u}:{{PLAIN}}{PASSWORD}::::::\n")
        self.port, self.tls_port = free_port(), free_port()
        me = pwd.getpwuid(os.getuid()).pw_name
        # Dovecot's login processes refuse to run as root: as root, its own users serve them.
        internal, login = (("dovecot", "dovenull") if os.getuid() == 0 else (me, me))
        # Nor does it keep mail as root: then the maildirs belong to its internal user.
        mail_uid, mail_gid = os.getuid(), os.getgid()
        if os.getuid() == 0:
            mail_uid, mail_gid = pwd.getpwnam("dovecot").pw_uid, pwd.getpwnam("dovecot").pw_gid
            for d, _, _ in os.walk(self.maildir_root):
                os.chown(d, mail_uid, mail_gid)
        conf = os.path.join(root, "dovecot.conf")
        with open(conf, "w") as f:
            f.write(f"""
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
default_internal_user = {internal}
default_login_user = {login}
auth_mechanisms = plain login
disable_plaintext_auth = no
# Tests try wrong passwords on purpose (anvil still slows down later logins from loopback).
auth_failure_delay = 0
ssl = yes
ssl_cert = <{cert}
ssl_key = <{key}
mail_location = maildir:{self.maildir_root}/%u:LAYOUT=maildir++
first_valid_uid = 1
passdb {{
  driver = passwd-file
  args = {root}/passwd
}}
userdb {{
  driver = static
  args = uid={mail_uid} gid={mail_gid} home={self.maildir_root}/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {self.tls_port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
protocol imap {{
  mail_max_userip_connections = 100
}}
""")
        self.conf = conf
        self.proc = subprocess.Popen([DOVECOT, "-F", "-c", conf], stdout=subprocess.DEVNULL,
                                     stderr=open(os.path.join(root, "dovecot.stderr"), "w"))
        if not wait_for_port(self.port, self.proc) or not wait_for_port(self.tls_port, self.proc, greeting=False):
            log = ""
            for name in ("dovecot.stderr", "dovecot.log"):
                p = os.path.join(root, name)
                if os.path.exists(p):
                    log += open(p).read()
            self.stop()
            raise RuntimeError("dovecot did not start:\n" + log)

    def env(self):
        return {"FL_IMAP_PORT": str(self.port), "FL_IMAPS_PORT": str(self.tls_port),
                "FL_IMAP_MAILDIR_ROOT": self.maildir_root, "FL_IMAP_CA_FILE": self.ca_file}

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.tmp.cleanup()


def main(argv):
    server = ImapServer()
    try:
        if "--" in argv:
            command = argv[argv.index("--") + 1:]
            return subprocess.call(command, env={**os.environ, **server.env()})
        for k, v in server.env().items():
            print(f"{k}={v}", flush=True)
        signal.sigwait([signal.SIGINT, signal.SIGTERM])
        return 0
    finally:
        server.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
