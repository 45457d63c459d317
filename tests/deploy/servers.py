"""What the deployment tests share: free ports, waiting for a server, a throwaway certificate, nginx in front of
gunicorn instances with deploy/nginx-proxy.conf, and stopping what was started."""

import os
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = str(Path(sys.executable).parent / "gunicorn")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def require(*tools):
    for tool in tools:
        assert shutil.which(tool) or Path(f"/usr/sbin/{tool}").exists(), f"{tool} is not installed"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(check, timeout=30, what="service"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{what() if callable(what) else what} did not come up in {timeout} s")


def tls_context():
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # the test's own throwaway certificate
    return context


def production_env(**values):
    """The environment a production instance runs with: this process's, minus what only tests set."""
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "GUNICORN_CONTROL_SOCKET"}}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "labourarchive.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(64),  # one key for all instances: sessions work on any
            "GUNICORN_ACCESSLOG": "",
        }
    )
    env.update(values)
    return env


def collected_static(env):
    """The production static files (hashed names, compressed) are in place. `make test-deploy` collects them once
    before its two test processes start and says so; a deployment test run on its own collects them here."""
    if os.environ.get("DEPLOY_STATIC_COLLECTED") != "1":
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )


def start_gunicorn(env, port, workdir, name):
    log = open(workdir / f"gunicorn-{name}.log", "wb")  # noqa: SIM115
    app = "labourarchive.wsgi" if env.get("GUNICORN_WORKER_CLASS") in ("gthread", "sync") else "labourarchive.asgi"
    return subprocess.Popen(
        [GUNICORN, app, "--config", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def gunicorn_log(workdir, name):
    return (workdir / f"gunicorn-{name}.log").read_text()[-2000:]


def start_nginx(workdir, upstream_ports, port, access_log=False):
    """nginx over HTTPS on `port` (a certificate made for the run), passing to the instances on `upstream_ports`
    with the production proxy settings."""
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost"]
        + ["-keyout", str(workdir / "key.pem"), "-out", str(workdir / "cert.pem")],
        check=True,
        capture_output=True,
    )
    servers = "\n".join(
        f"        server 127.0.0.1:{upstream} max_fails=3 fail_timeout=10s;" for upstream in upstream_ports
    )
    (workdir / "nginx.conf").write_text(
        f"""
pid {workdir}/nginx.pid;
error_log {workdir}/nginx-error.log;
worker_processes 1;
events {{ worker_connections 256; }}
http {{
    access_log {f"{workdir}/nginx-access.log" if access_log else "off"};
    client_body_temp_path {workdir}/client-body;
    proxy_temp_path {workdir}/proxy;
    fastcgi_temp_path {workdir}/fastcgi;
    uwsgi_temp_path {workdir}/uwsgi;
    scgi_temp_path {workdir}/scgi;
    upstream labourarchive {{
{servers}
        keepalive 8;
    }}
    server {{
        listen 127.0.0.1:{port} ssl;
        ssl_certificate {workdir}/cert.pem;
        ssl_certificate_key {workdir}/key.pem;
        include {ROOT}/deploy/nginx-proxy.conf;
    }}
}}
"""
    )
    config = ["-c", str(workdir / "nginx.conf"), "-p", str(workdir)]
    subprocess.run([NGINX, "-t", *config], check=True, capture_output=True)
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    return subprocess.Popen([NGINX, *config, "-g", "daemon off;"], **quiet)


def stop(processes):
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
