"""The `tributary` CLI (topic / produce / consume / group) against our broker: the README round trip,
topic administration, JSON in and out, offsets and timestamps, and helpful errors."""
import json
import subprocess

from conftest import BIN, run


def cli(broker, *args, input: bytes | None = None, timeout: float = 60) -> str:
    return run([str(BIN), *args, "--brokers", broker.bootstrap], input=input, timeout=timeout).stdout.decode()


def test_readme_round_trip(broker):
    out = cli(broker, "topic", "create", "events", "-p", "3")
    assert "events" in out and "OK" in out
    cli(broker, "produce", "events", "--key-separator", ":", input=b"alice:hello\nbob:world\nalice:again\n")
    out = cli(broker, "consume", "events", "--from-beginning", "-n", "3", "--format", "json")
    records = [json.loads(line) for line in out.splitlines()]
    assert sorted((r["key"], r["value"]) for r in records) == [("alice", "again"), ("alice", "hello"), ("bob", "world")]
    # One key, one partition; offsets count up from 0 inside each partition, in produce order.
    alice = [r for r in records if r["key"] == "alice"]
    assert len({r["partition"] for r in alice}) == 1
    for p in {r["partition"] for r in records}:
        assert sorted(r["offset"] for r in records if r["partition"] == p) == list(range(sum(r["partition"] == p for r in records)))
    hello, again = (next(r for r in alice if r["value"] == v) for v in ("hello", "again"))
    assert hello["offset"] < again["offset"]
    assert all(r["timestamp"] > 1_600_000_000_000 for r in records)


def test_topic_list_describe_alter_delete(broker):
    cli(broker, "topic", "create", "t1", "-p", "2", "-c", "retention.ms=3600000")
    listing = cli(broker, "topic", "list")
    assert listing.splitlines()[0].split() == ["NAME", "PARTITIONS", "REPLICAS"]
    assert any(line.split()[:2] == ["t1", "2"] for line in listing.splitlines())

    described = cli(broker, "topic", "describe", "t1")
    assert "retention.ms" in described and "3600000" in described
    assert "HIGH-WATERMARK" in described

    cli(broker, "topic", "alter", "t1", "--set", "retention.ms=7200000", "--partitions", "4")
    described = cli(broker, "topic", "describe", "t1")
    assert "7200000" in described
    assert "PARTITIONS  4" in described

    cli(broker, "topic", "delete", "t1")
    assert not any(line.startswith("t1 ") for line in cli(broker, "topic", "list").splitlines())


def test_create_existing_topic_fails_with_kafka_error_name(broker):
    cli(broker, "topic", "create", "dup")
    result = subprocess.run([str(BIN), "topic", "create", "dup", "--brokers", broker.bootstrap], capture_output=True)
    assert result.returncode != 0
    assert "TOPIC_ALREADY_EXISTS" in result.stdout.decode() + result.stderr.decode()
    # --if-not-exists makes it idempotent.
    cli(broker, "topic", "create", "dup", "--if-not-exists")


def test_unreachable_broker_is_a_clear_error():
    result = subprocess.run([str(BIN), "topic", "list", "--brokers", "127.0.0.1:1"], capture_output=True, timeout=60)
    assert result.returncode != 0
    err = result.stderr.decode()
    assert "127.0.0.1:1" in err and "--brokers" in err
    assert "Fatal error" not in err and "Stack dump" not in err


def test_text_input_line_ends_separators_and_block_boundaries(broker):
    """Standard input is read in large blocks: lines that cross a block, CRLF line ends, empty lines,
    a last line without a newline and a multi-byte key separator all come out as written."""
    cli(broker, "topic", "create", "lines", "-p", "1")
    many = [f"k{i}::{'v' * (i % 50)}{i}" for i in range(60_000)]  # about 3 MB: several blocks
    text = "\n".join(many) + "\nnosep\r\n\nlast::x::y"
    cli(broker, "produce", "lines", "-k", "::", input=text.encode(), timeout=120)
    out = cli(broker, "consume", "lines", "-e", "--format", "%k|%s\\n", timeout=120)
    expected = [f"k{i}|{'v' * (i % 50)}{i}" for i in range(60_000)] + ["|nosep", "|", "last|x::y"]
    assert out.split("\n")[:-1] == expected


def test_json_input_with_headers_partition_and_timestamp(broker):
    cli(broker, "topic", "create", "j", "-p", "3")
    lines = [
        {"key": "k1", "value": "v1", "headers": {"trace": "abc", "n": "1"}, "partition": 2, "timestamp": 1_700_000_000_000},
        {"key": None, "value": {"nested": [1, 2]}, "partition": 0},
    ]
    cli(broker, "produce", "j", "--format", "json", input="\n".join(json.dumps(l) for l in lines).encode() + b"\n")
    out = cli(broker, "consume", "j", "-e", "--format", "json")
    got = sorted((json.loads(l) for l in out.splitlines()), key=lambda r: r["partition"])
    assert got[0]["key"] is None and json.loads(got[0]["value"]) == {"nested": [1, 2]} and got[0]["partition"] == 0
    assert got[1]["key"] == "k1" and got[1]["partition"] == 2 and got[1]["timestamp"] == 1_700_000_000_000
    assert sorted((h["key"], h["value"]) for h in got[1]["headers"]) == [("n", "1"), ("trace", "abc")]


def test_consume_from_offset_relative_end_and_timestamp(broker):
    cli(broker, "topic", "create", "o", "-p", "1")
    cli(broker, "produce", "o", input="".join(f"m{i}\n" for i in range(10)).encode())
    assert cli(broker, "consume", "o", "-o", "7", "-e").split() == ["m7", "m8", "m9"]
    assert cli(broker, "consume", "o", "-o", "-2", "-e").split() == ["m8", "m9"]
    out = cli(broker, "consume", "o", "-e", "-f", "%o %T\n")
    stamps = [int(l.split()[1]) for l in out.splitlines()]
    third = stamps[3]
    later = cli(broker, "consume", "o", "-e", "--timestamp", str(third), "-f", "%o\n").split()
    assert later[0] == str(next(i for i, t in enumerate(stamps) if t >= third))
    assert cli(broker, "consume", "o", "-p", "0", "-n", "2", "-f", "%p:%o:%s\n").split() == ["0:0:m0", "0:1:m1"]


def test_group_consume_commits_and_group_describe_shows_lag(broker):
    cli(broker, "topic", "create", "g", "-p", "2")
    cli(broker, "produce", "g", "-k", ":", input="".join(f"k{i}:v{i}\n" for i in range(20)).encode())
    out = cli(broker, "consume", "g", "--group", "cli-group", "-n", "20")
    assert sorted(out.split()) == sorted(f"v{i}" for i in range(20))
    listing = cli(broker, "group", "list")
    assert "cli-group" in listing
    described = cli(broker, "group", "describe", "cli-group")
    assert "TOTAL-LAG" in described
    total_lag = int(next(l.split()[1] for l in described.splitlines() if l.startswith("TOTAL-LAG")))
    assert total_lag == 0
    # More records arrive: the lag shows them.
    cli(broker, "produce", "g", input=b"x\ny\nz\n")
    described = cli(broker, "group", "describe", "cli-group")
    assert int(next(l.split()[1] for l in described.splitlines() if l.startswith("TOTAL-LAG"))) == 3
    # A second run of the group continues after the committed offsets.
    assert sorted(cli(broker, "consume", "g", "--group", "cli-group", "-n", "3").split()) == ["x", "y", "z"]
    # Reset to the start, then everything is read again.
    cli(broker, "group", "reset", "cli-group", "--topic", "g", "--to", "start")
    assert len(cli(broker, "consume", "g", "--group", "cli-group", "-n", "23").split()) == 23


def test_idempotent_producer_keeps_sequences_across_idle_gaps(broker):
    """Each line is sent alone (the batch lingers out while the next line is not yet written): the
    producer's sequence numbers must continue across batches, or the broker refuses them."""
    import time

    cli(broker, "topic", "create", "gaps", "-p", "1")
    proc = subprocess.Popen([str(BIN), "produce", "gaps", "--brokers", broker.bootstrap], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    for i in range(5):
        proc.stdin.write(f"line{i}\n".encode())
        proc.stdin.flush()
        time.sleep(0.2)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err.decode()
    assert cli(broker, "consume", "gaps", "-e").split() == [f"line{i}" for i in range(5)]


def test_consume_and_produce_argument_errors_and_forms(broker):
    """`consume` and `produce` start on a hand-written parse of plain command lines; every other line,
    and every line with an error, goes through ArgumentParser as before: same meaning, same messages."""
    cli(broker, "topic", "create", "forms", "-p", "1")
    cli(broker, "produce", "forms", "-k", ":", input=b"".join(b"k%d:v%d\n" % (i, i) for i in range(10)))
    plain = cli(broker, "consume", "forms", "-o", "2", "-n", "3", "-f", "%k=%s@%o\\n")
    # The same request spelled with `=` and long names, and once in a form only ArgumentParser takes.
    spelled = cli(broker, "consume", "forms", "--offset=2", "--num=3", "--format=%k=%s@%o\\n")
    assert plain == spelled == "k2=v2@2\nk3=v3@3\nk4=v4@4\n"
    after_terminator = run([str(BIN), "consume", "--brokers", broker.bootstrap, "-o", "2", "-n", "3",
                            "-f", "%k=%s@%o\\n", "--", "forms"]).stdout.decode()
    assert after_terminator == plain

    def fails(*args: str) -> tuple[int, str]:
        result = subprocess.run([str(BIN), *args], capture_output=True, timeout=60)
        return result.returncode, result.stderr.decode()

    code, err = fails("consume", "forms", "--brokers", broker.bootstrap, "-n", "0")
    assert code == 64 and "Error: --num must be positive" in err and "Usage: tributary consume" in err
    code, err = fails("consume", "forms", "--brokers", broker.bootstrap, "--bogus")
    assert code == 64 and "Error: Unknown option '--bogus'" in err
    code, err = fails("consume", "forms", "--brokers", broker.bootstrap, "--offset", "middle")
    assert code == 64 and "--offset 'middle' is not start, end, N, -N or @TIMESTAMP_MS" in err
    code, err = fails("produce", "forms", "--brokers", broker.bootstrap, "--format", "csv")
    assert code == 64 and "Error: --format must be text or json" in err
    code, err = fails("produce", "forms", "--brokers", broker.bootstrap, "--acks", "2")
    assert code != 0 and "acks must be 0, 1 or all, not '2'" in err
    # A failure while running (nothing listens) is a one-line error, as before.
    code, err = fails("consume", "forms", "--brokers", "127.0.0.1:1", "-n", "1")
    assert code == 1 and err.startswith("error: ") and "127.0.0.1:1" in err
    assert "Fatal error" not in err
