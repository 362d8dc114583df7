"""Writes the NumPy files the data readers are tested against (test/fixtures/data/).

Run with Debian's numpy: /usr/bin/python3 tools/make_data_fixtures.py
Each array is written by numpy itself; manifest.json holds, per file, the dtype, shape and the
values in C order as numpy reads them back (the independent reference for the TS reader).
"""
import json
import os

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "data")
os.makedirs(OUT, exist_ok=True)
rng = np.random.default_rng(16)
manifest = {}


def save(name, a):
    np.save(os.path.join(OUT, name), a)
    b = np.load(os.path.join(OUT, name))
    manifest[name] = {"dtype": b.dtype.str, "shape": list(b.shape), "fortran": bool(np.isfortran(b)),
                      "values": b.ravel(order="C").astype(np.float64).tolist()}


# Every dtype in both byte orders, C and Fortran order, as a 3 x 4 table.
for code in ["f4", "f8", "i2", "i4", "i8", "u2", "u4"]:
    for endian in ["<", ">"]:
        dt = np.dtype(endian + code)
        if dt.kind == "f":
            base = rng.standard_normal((3, 4)) * 10
        elif dt.kind == "u":
            base = rng.integers(0, 60000 if dt.itemsize > 1 else 255, (3, 4))
        else:
            base = rng.integers(-30000, 30000, (3, 4))
        a = base.astype(dt)
        tag = "le" if endian == "<" else "be"
        save(f"{code}_{tag}_c.npy", np.ascontiguousarray(a))
        save(f"{code}_{tag}_f.npy", np.asfortranarray(a))
for code in ["u1", "i1"]:
    a = rng.integers(0, 256, (3, 4)).astype(np.uint8).astype(code)
    save(f"{code}_c.npy", np.ascontiguousarray(a))
    save(f"{code}_f.npy", np.asfortranarray(a))

# 1-D to 4-D (Fortran order in 3-D and 4-D too), and uint8 images [n, h, w].
save("f4_1d.npy", rng.standard_normal(7).astype("<f4"))
save("f4_3d_f.npy", np.asfortranarray(rng.standard_normal((2, 3, 4)).astype("<f4")))
save("f8_4d_be_f.npy", np.asfortranarray(rng.standard_normal((2, 3, 2, 2)).astype(">f8")))
save("images_u1.npy", rng.integers(0, 256, (5, 6, 4)).astype(np.uint8))
save("bool.npy", rng.integers(0, 2, (2, 3)).astype(bool))

# .npz: named arrays, stored and compressed.
codes = rng.standard_normal((4, 3)).astype("<f4")
labels = np.arange(4, dtype="<i8")
np.savez(os.path.join(OUT, "pair.npz"), codes, labels)
np.savez_compressed(os.path.join(OUT, "named.npz"), codes=codes, labels=labels)
manifest["npz"] = {"codes": codes.astype(np.float64).ravel().tolist(), "labels": labels.tolist()}

# Malformed files: cut short, a header promising far more data than is there, a bad magic.
good = open(os.path.join(OUT, "f4_le_c.npy"), "rb").read()
open(os.path.join(OUT, "bad_truncated.npy"), "wb").write(good[:-5])
hdr = b"{'descr': '<f4', 'fortran_order': False, 'shape': (100000000, 100000), }"
hdr = hdr + b" " * (128 - 10 - len(hdr) - 1) + b"\n"
open(os.path.join(OUT, "bad_huge_header.npy"), "wb").write(b"\x93NUMPY\x01\x00" + (len(hdr)).to_bytes(2, "little") + hdr + good[128:])
open(os.path.join(OUT, "bad_magic.npy"), "wb").write(b"NOTNUMPY" + good[8:])
zipped = open(os.path.join(OUT, "named.npz"), "rb").read()
open(os.path.join(OUT, "bad_truncated.npz"), "wb").write(zipped[: len(zipped) // 2])

with open(os.path.join(OUT, "manifest.json"), "w") as f:
    json.dump(manifest, f, indent=0)
print("wrote", len(os.listdir(OUT)), "files to", OUT)
