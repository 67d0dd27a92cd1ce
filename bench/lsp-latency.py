#!/usr/bin/env python3
"""Language server latency (not part of CI's test command): time from a didChange to the
publishDiagnostics of that version, on a 1,000-line compose file (15 services already hardened,
22 new ones, as LspTestFiles builds it), over 10 changes.
Usage: bench/lsp-latency.py COMMAND...   e.g. bench/lsp-latency.py /tmp/aot/composefix
       (publish first: dotnet publish src/ComposeFix.Cli -c Release -r linux-x64 -p:PublishAot=true -o /tmp/aot)
The first service half is hardened with the same binary (fix --stdin)."""
import json, subprocess, sys, time

exe = sys.argv[1:]
if not exe:
    sys.exit(__doc__)


def services(prefix, n):
    out = ""
    for i in range(n):
        name = f"{prefix}{i}"
        out += f"""  {name}:
    image: nginx:1.27
    container_name: {name}
    restart: unless-stopped
    ports:
      - "{8000+i}:80"
    environment:
      TZ: Europe/Berlin
      LOG_LEVEL: info
      WORKERS: "4"
    labels:
      traefik.enable: "true"
      traefik.http.routers.{name}.rule: Host(`{name}.example.org`)
    volumes:
      - ./{name}/conf.d:/etc/nginx/conf.d:ro
    networks:
      - web
    healthcheck:
      test: ["CMD", "curl", "-f", "http://localhost"]
      interval: 30s
    # {name} is served by traefik
"""
    return out


hard = subprocess.run([*exe, "fix", "--stdin", "--unsafe-fixes", "--skip", "split-networks"], input=("services:\n" + services("app", 15)).encode(), capture_output=True).stdout.decode()
text = hard + services("new", 22) + "networks:\n  web: {}\n"
print("lines", text.count("\n"))
p = subprocess.Popen(exe + ["lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)


def send(m):
    b = json.dumps(dict(m, jsonrpc="2.0")).encode()
    p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(b) + b)
    p.stdin.flush()


def read():
    n = None
    while True:
        line = p.stdout.readline().strip()
        if not line:
            break
        k, v = line.split(b":", 1)
        if k.lower() == b"content-length":
            n = int(v)
    return json.loads(p.stdout.read(n))


def wait(pred):
    while True:
        m = read()
        if pred(m):
            return m


send({"id": 1, "method": "initialize", "params": {"processId": None, "rootUri": None, "capabilities": {}}})
wait(lambda m: m.get("id") == 1)
send({"method": "initialized", "params": {}})
uri = "file:///nonexistent/compose.yaml"
send({"method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}})
wait(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["version"] == 1)
ts = []
for v in range(2, 12):
    t = time.perf_counter()
    send({"method": "textDocument/didChange", "params": {"textDocument": {"uri": uri, "version": v}, "contentChanges": [{"text": text + f"# change {v}\n"}]}})
    m = wait(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["version"] == v)
    ts.append((time.perf_counter() - t) * 1000)
print("ms:", " ".join(f"{x:.0f}" for x in ts), "diagnostics:", len(m["params"]["diagnostics"]))
send({"id": 2, "method": "shutdown"})
wait(lambda m: m.get("id") == 2)
send({"method": "exit"})
p.wait()
