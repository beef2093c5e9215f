"""Cross-checks message encodings against kafka-python's independent, schema-driven codec.

Input: a directory of `<Type>_<version>_<seed>.bin` bodies written by our encoder.
For each, kafka-python decodes the body at that version and encodes it again; the bytes must be
identical. With --write FILE, one verified body per (type, version) is written to FILE as
`<Type> <version> <hex>` lines (the corpus that CrossCheckCorpusTests reads).

kafka-python decodes an ApiVersions response with a non-zero error code as version 0 (as brokers
answer an unsupported version with v0), so those bodies get error code 0 before checking.
"""
import collections, glob, importlib, inspect, os, pkgutil, sys

import kafka.protocol as kp


def message_classes():
    classes = {}
    for m in pkgutil.walk_packages(kp.__path__, 'kafka.protocol.'):
        if '.old' in m.name or 'generate' in m.name:
            continue
        try:
            mod = importlib.import_module(m.name)
        except Exception:
            continue
        for _, c in inspect.getmembers(mod, inspect.isclass):
            if getattr(c, '_json', None) and c.__name__ == c._json.get('name'):
                classes[c.__name__] = c
    return classes


def main():
    directory = sys.argv[1]
    out_path = sys.argv[3] if len(sys.argv) > 3 and sys.argv[2] == '--write' else None
    classes = message_classes()
    ok, bad, corpus = 0, collections.defaultdict(list), {}
    for path in sorted(glob.glob(os.path.join(directory, '*.bin'))):
        name, version, seed = os.path.basename(path)[:-4].rsplit('_', 2)
        version = int(version)
        cls = classes.get(name)
        if cls is None or version > cls.max_version:
            bad[name].append((version, seed, 'kafka-python lacks this version'))
            continue
        data = bytearray(open(path, 'rb').read())
        if name == 'ApiVersionsResponse':
            data[0:2] = b'\x00\x00'
        data = bytes(data)
        try:
            obj = cls.decode(data, version=version, header=False)
            obj._header = None
            again = bytes(obj.encode(version=version, header=False))
        except Exception as e:  # report, keep checking the rest
            bad[name].append((version, seed, repr(e)[:200]))
            continue
        if again != data:
            bad[name].append((version, seed, 'different bytes'))
            continue
        ok += 1
        corpus.setdefault((name, version), data)
    print('identical:', ok)
    for name, problems in sorted(bad.items()):
        print(name, problems[:3])
    if out_path:
        with open(out_path, 'w') as f:
            for (name, version), data in sorted(corpus.items()):
                f.write(f'{name} {version} {data.hex()}\n')
    sys.exit(1 if bad else 0)


if __name__ == '__main__':
    main()
