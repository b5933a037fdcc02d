"""The command line: user add, configuration by file and environment, clear errors.

Run: FIRSTLINE_BIN=build/release/src/server/firstline /usr/bin/python3 tests/integration/test_cli.py
"""

from __future__ import annotations

import subprocess
import unittest

from firstline_harness import Server, ServerTestCase, find_binary, server_env


def run(args: list[str], *, stdin: str = "", env: dict[str, str] | None = None,
        cwd: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([find_binary(), *args], input=stdin, capture_output=True, text=True,
                          env=server_env(env), cwd=cwd, timeout=60)


class CliTest(ServerTestCase):
    def test_user_add_then_login(self):
        # A second process writes to the database the running server uses.
        data = str(self.server.data_dir)
        done = run(["user", "add", "--data", data, "--login", "cli.agent", "--name", "Cli Agent",
                    "--role", "agent", "--team", "1", "--password-stdin"],
                   stdin="cli-password-1\n")
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn("cli.agent", done.stdout)
        reply = self.server.login("cli.agent", "cli-password-1")
        self.assertEqual(reply.status, 201, reply.text)
        self.assertEqual(reply.json["user"]["role"], "agent")

    def test_user_add_errors_are_plain_messages(self):
        data = str(self.server.data_dir)
        bad_role = run(["user", "add", "--data", data, "--login", "x.y", "--role", "boss"])
        self.assertEqual(bad_role.returncode, 2)
        self.assertIn("--role", bad_role.stderr)
        taken = run(["user", "add", "--data", data, "--login", "admin", "--role", "admin"])
        self.assertEqual(taken.returncode, 2)
        self.assertIn("admin", taken.stderr)
        self.assertNotIn("Traceback", taken.stderr + taken.stdout)
        agent_without_team = run(["user", "add", "--data", data, "--login", "lonely", "--role", "agent"])
        self.assertEqual(agent_without_team.returncode, 2)
        self.assertIn("team", agent_without_team.stderr)

    def test_init_refuses_an_initialised_folder(self):
        again = run(["init", "--data", str(self.server.data_dir)])
        self.assertEqual(again.returncode, 2)
        self.assertIn("already", again.stderr)


class ConfigurationTest(unittest.TestCase):
    def test_environment_and_file_configure_serve(self):
        server = Server(env={"FIRSTLINE_SERVER_WORKER_THREADS": "3"})
        try:
            server.init()
            config = server.tmp / "firstline.toml"
            config.write_text('[log]\nlevel = "warn"\n')
            server.env["FIRSTLINE_CONFIG"] = str(config)
            server.start()
            self.assertEqual(server.request("GET", "/healthz").status, 200)
        finally:
            server.close()

    def test_bad_configuration_is_a_plain_error(self):
        bad_env = run(["serve", "--data", "/nonexistent-never", "--listen", "127.0.0.1:0"],
                      env={"FIRSTLINE_SERVER_IO_THREADS": "zero"})
        self.assertEqual(bad_env.returncode, 2)
        self.assertIn("FIRSTLINE_SERVER_IO_THREADS", bad_env.stderr)
        bad_listen = run(["serve", "--listen", "nowhere"])
        self.assertEqual(bad_listen.returncode, 2)
        self.assertIn("HOST:PORT", bad_listen.stderr)


if __name__ == "__main__":
    unittest.main()
