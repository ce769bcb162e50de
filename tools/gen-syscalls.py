#!/usr/bin/env python3
"""Generate syscage's syscall tables (src/lib/gen/) from the data files.

Usage: tools/gen-syscalls.py --data DATA_DIR --out OUT_DIR

Reads
  DATA_DIR/syscalls/{x86_64,i386,x32,arm64,arm,riscv64}.tbl
      "name<TAB>number" per line, or a bare "name" when the syscall does not
      exist on that arch; x32 numbers include the x32 bit 0x40000000.
  DATA_DIR/x86_64-signatures.tsv
      "name<TAB>param;param;..." with param = "name:ctype" (see that file).
  DATA_DIR/syscall-since.tsv
      "name<TAB>MAJOR.MINOR": the release that added the syscall.
and writes OUT_DIR/syscall_data.h and OUT_DIR/syscall_data.c.

The output depends only on the data (no dates, no paths), so a rerun is
byte-identical; `make regen-check` relies on that.  Any inconsistency in the
data (unknown C type, duplicate name or number, a signature or version for a
syscall x86_64 does not have, ...) is an error: the generator exits non-zero
with a message and writes nothing.
"""

import argparse
import os
import re
import sys

# Table files in the order of enum arch_id (src/lib/arch.h).
ARCHES = [
    ("ARCH_X86_64", "x86_64"),
    ("ARCH_I386", "i386"),
    ("ARCH_X32", "x32"),
    ("ARCH_AARCH64", "arm64"),
    ("ARCH_ARM", "arm"),
    ("ARCH_RISCV64", "riscv64"),
]
X32_BIT = 0x40000000
MAX_PARAMS = 6

# The oldest release the "since" data distinguishes (3.16 = 3016): every
# x86_64 syscall added in 3.17 or later is in syscall-since.tsv, anything
# else is "3.16 or older" (version 0).
SINCE_FLOOR = (3, 16)
# x86_64 numbers of the syscalls added after the floor: 317 (seccomp, 3.17)
# up to the end of the old numbering, and the unified numbers from 424 on.
SINCE_FIRST_NR = 317
UNIFIED_FIRST_NR = 424

UNSIGNED, SIGNED, POINTER = "PARAM_UNSIGNED", "PARAM_SIGNED", "PARAM_POINTER"

# How the x86_64 kernel sees each scalar C type of a syscall parameter:
# (bits, kind).  The syscall wrappers (__SC_CAST in SYSCALL_DEFINEx) cast the
# 64-bit register to the declared type, so a 32-bit type is truncated to its
# low 32 bits (and a 16-bit one to 16) before the kernel looks at it.
# Decided from the real typedefs on x86_64:
#   int, __s32                    signed 32
#   unsigned int, unsigned, u32,
#   __u32, uint32_t               unsigned 32
#   long                          signed 64
#   unsigned long, size_t         unsigned 64   (__kernel_size_t = unsigned long)
#   off_t                         signed 64     (__kernel_off_t = long)
#   loff_t                        signed 64     (long long)
#   u64, __u64                    unsigned 64
#   pid_t                         signed 32     (__kernel_pid_t = int)
#   uid_t, gid_t                  unsigned 32   (__kernel_uid32_t/gid32_t)
#   qid_t                         unsigned 32   (__kernel_uid32_t)
#   umode_t                       unsigned 16   (unsigned short: the kernel
#                                                keeps only 16 bits of mode)
#   key_t                         signed 32     (__kernel_key_t = int)
#   key_serial_t                  signed 32     (int32_t)
#   mqd_t                         signed 32     (__kernel_mqd_t = int)
#   clockid_t                     signed 32     (__kernel_clockid_t = int)
#   timer_t                       signed 32     (__kernel_timer_t = int)
#   rwf_t                         signed 32     (__kernel_rwf_t = int)
#   aio_context_t                 unsigned 64   (__kernel_ulong_t)
#   enum landlock_rule_type       unsigned 32   (an enum with no negative
#                                                value: unsigned int in gcc)
# Pointers: any type containing "*" or "__user", and the pointer typedefs
# cap_user_header_t and cap_user_data_t, are 64-bit POINTER values (the
# memory they point to can change after the filter looked at the pointer).
# A leading "const" of a scalar type is ignored.  Any other type is an error:
# add it here, with its real typedef, rather than guess.
SCALAR_TYPES = {
    "int": (32, SIGNED),
    "__s32": (32, SIGNED),
    "unsigned int": (32, UNSIGNED),
    "unsigned": (32, UNSIGNED),
    "u32": (32, UNSIGNED),
    "__u32": (32, UNSIGNED),
    "uint32_t": (32, UNSIGNED),
    "long": (64, SIGNED),
    "unsigned long": (64, UNSIGNED),
    "size_t": (64, UNSIGNED),
    "off_t": (64, SIGNED),
    "loff_t": (64, SIGNED),
    "u64": (64, UNSIGNED),
    "__u64": (64, UNSIGNED),
    "pid_t": (32, SIGNED),
    "uid_t": (32, UNSIGNED),
    "gid_t": (32, UNSIGNED),
    "qid_t": (32, UNSIGNED),
    "umode_t": (16, UNSIGNED),
    "key_t": (32, SIGNED),
    "key_serial_t": (32, SIGNED),
    "mqd_t": (32, SIGNED),
    "clockid_t": (32, SIGNED),
    "timer_t": (32, SIGNED),
    "rwf_t": (32, SIGNED),
    "aio_context_t": (64, UNSIGNED),
    "enum landlock_rule_type": (32, UNSIGNED),
}
POINTER_TYPEDEFS = {"cap_user_header_t", "cap_user_data_t"}

NAME_RE = re.compile(r"^[a-z_][a-z0-9_]*$")
PARAM_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
CTYPE_RE = re.compile(r"^[A-Za-z0-9_ *]+$")
VERSION_RE = re.compile(r"^([1-9][0-9]*)\.([0-9]+)$")

HEADER_COMMENT = ("/* GENERATED by tools/gen-syscalls.py from data/syscalls/, "
                  "data/x86_64-signatures.tsv and data/syscall-since.tsv, "
                  "do not edit. */\n")


class DataError(Exception):
    pass


def data_lines(path):
    """Yields (line number, text) of the meaningful lines of a data file."""
    try:
        with open(path, encoding="ascii") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError) as e:
        raise DataError("%s: cannot read: %s" % (path, e))
    for no, line in enumerate(text.split("\n"), 1):
        if line.endswith("\r"):
            raise DataError("%s:%d: CR line ending" % (path, no))
        if line == "" or line.startswith("#"):
            continue
        yield no, line


def read_table(path, x32):
    """Returns {name: number or None} of one arch's table."""
    table = {}
    seen_nr = {}
    for no, line in data_lines(path):
        fields = line.split("\t")
        name = fields[0]
        if not NAME_RE.match(name):
            raise DataError("%s:%d: bad syscall name %r" % (path, no, name))
        if name in table:
            raise DataError("%s:%d: duplicate name %s" % (path, no, name))
        if len(fields) == 1:
            table[name] = None
            continue
        if len(fields) != 2 or not fields[1].isdigit():
            raise DataError("%s:%d: expected name<TAB>number" % (path, no))
        nr = int(fields[1])
        if x32 != bool(nr & X32_BIT):
            raise DataError("%s:%d: %s: the x32 bit must be set on x32 "
                            "numbers and only there" % (path, no, name))
        if nr > 0x7fffffff:
            raise DataError("%s:%d: number out of range" % (path, no))
        if nr in seen_nr:
            raise DataError("%s:%d: number %d used by %s and %s"
                            % (path, no, nr, seen_nr[nr], name))
        seen_nr[nr] = name
        table[name] = nr
    return table


def classify(ctype, where):
    """Returns (bits, kind) of a parameter type; see SCALAR_TYPES."""
    if not CTYPE_RE.match(ctype) or ctype != " ".join(ctype.split()):
        raise DataError("%s: malformed type %r" % (where, ctype))
    if "*" in ctype or "__user" in ctype.split():
        return 64, POINTER
    base = ctype[len("const "):] if ctype.startswith("const ") else ctype
    if base in POINTER_TYPEDEFS:
        return 64, POINTER
    if base not in SCALAR_TYPES:
        raise DataError("%s: unknown C type %r: add it to SCALAR_TYPES in "
                        "tools/gen-syscalls.py with its real x86_64 typedef"
                        % (where, ctype))
    return SCALAR_TYPES[base]


def read_signatures(path, x86_64):
    """Returns {name: [(pname, ctype, bits, kind), ...]}."""
    sigs = {}
    for no, line in data_lines(path):
        where = "%s:%d" % (path, no)
        fields = line.split("\t")
        if len(fields) != 2:
            raise DataError("%s: expected name<TAB>params" % where)
        name, plist = fields
        if name in sigs:
            raise DataError("%s: duplicate signature for %s" % (where, name))
        if x86_64.get(name) is None:
            raise DataError("%s: %s is not an x86_64 syscall" % (where, name))
        params = []
        if plist != "":
            for p in plist.split(";"):
                pname, sep, ctype = p.partition(":")
                if not sep or not PARAM_NAME_RE.match(pname):
                    raise DataError("%s: bad parameter %r" % (where, p))
                if any(pname == q[0] for q in params):
                    raise DataError("%s: parameter %s twice" % (where, pname))
                bits, kind = classify(ctype, "%s: %s" % (where, name))
                params.append((pname, ctype, bits, kind))
        if len(params) > MAX_PARAMS:
            raise DataError("%s: %s has more than %d parameters"
                            % (where, name, MAX_PARAMS))
        sigs[name] = params
    return sigs


def read_since(path, x86_64):
    """Returns {name: major * 1000 + minor}."""
    floor = SINCE_FLOOR[0] * 1000 + SINCE_FLOOR[1]
    since = {}
    for no, line in data_lines(path):
        where = "%s:%d" % (path, no)
        fields = line.split("\t")
        if len(fields) != 2:
            raise DataError("%s: expected name<TAB>MAJOR.MINOR" % where)
        name, version = fields
        m = VERSION_RE.match(version)
        if not m or int(m.group(2)) > 999:
            raise DataError("%s: bad version %r" % (where, version))
        value = int(m.group(1)) * 1000 + int(m.group(2))
        if value <= floor or value > 65535:
            raise DataError("%s: %s: version %s is not after the floor %d.%d"
                            % (where, name, version, *SINCE_FLOOR))
        if name in since:
            raise DataError("%s: duplicate version for %s" % (where, name))
        if x86_64.get(name) is None:
            raise DataError("%s: %s is not an x86_64 syscall" % (where, name))
        since[name] = value
    for name, nr in sorted(x86_64.items()):
        if nr is not None and nr >= SINCE_FIRST_NR and name not in since:
            raise DataError("%s: x86_64 syscall %s (%d) is newer than the "
                            "floor but has no version" % (path, name, nr))
    for name in since:
        if x86_64[name] < SINCE_FIRST_NR:
            raise DataError("%s: %s (%d) predates 3.17 (number below %d)"
                            % (path, name, x86_64[name], SINCE_FIRST_NR))
    return since


def c_string(s):
    assert re.match(r"^[A-Za-z0-9_ *]*$", s)
    return '"%s"' % s


def render_header(count):
    out = [HEADER_COMMENT, "\n"]
    out.append("""\
/*
 * The generated syscall tables, for syscall_table.c only.  A syscall is
 * named by its index in syscall_names[], which is sorted by strcmp().
 */
#ifndef SYSCAGE_GEN_SYSCALL_DATA_H
#define SYSCAGE_GEN_SYSCALL_DATA_H

#include <stdint.h>

#include "arch.h"
#include "syscall_table.h"

#define SYSCALL_NAME_COUNT %d

/* The oldest release syscall_since_data[] distinguishes (%d.%d). */
#define SYSCALL_SINCE_FLOOR %d

/* One syscall number of an arch, for lookups by number. */
struct syscall_nr_entry {
	uint32_t nr;
	uint16_t idx;	/* index in syscall_names[] */
};

extern const char *const syscall_names[SYSCALL_NAME_COUNT];

/* A hash index over the names: FNV-1a of the name modulo the slots, then
 * the next slot while taken (open addressing, at most half full); a slot
 * holds index + 1, 0 when empty. Built here rather than at run time, where
 * hashing every name would cost each start more than its lookups. */
#define SYSCALL_NAME_SLOTS %d
extern const uint16_t syscall_name_slots[SYSCALL_NAME_SLOTS];

/* The number of each syscall on each arch, -1 when it has none there. */
extern const int32_t syscall_numbers[ARCH_COUNT][SYSCALL_NAME_COUNT];

/* Per arch, its syscalls sorted by number, and how many there are. */
extern const struct syscall_nr_entry *const syscall_nr_lists[ARCH_COUNT];
extern const uint16_t syscall_nr_counts[ARCH_COUNT];

/* x86_64 signatures; nparams is -1 when unknown. */
extern const struct syscall_signature syscall_signatures[SYSCALL_NAME_COUNT];

/* The release that added each syscall (major * 1000 + minor), or 0. */
extern const uint16_t syscall_since_data[SYSCALL_NAME_COUNT];

#endif
""" % (count, SINCE_FLOOR[0], SINCE_FLOOR[1],
       SINCE_FLOOR[0] * 1000 + SINCE_FLOOR[1], NAME_SLOTS))
    return "".join(out)


NAME_SLOTS = 2048


def name_hash(name):
    """FNV-1a, 32 bits: syscall_table.c hashes a name to look it up the same way."""
    h = 2166136261
    for byte in name.encode():
        h = ((h ^ byte) * 16777619) & 0xFFFFFFFF
    return h


def name_slots(names):
    assert 2 * len(names) <= NAME_SLOTS, "the name index is too small"
    slots = [0] * NAME_SLOTS
    for i, n in enumerate(names):
        slot = name_hash(n) % NAME_SLOTS
        while slots[slot]:
            slot = (slot + 1) % NAME_SLOTS
        slots[slot] = i + 1
    return slots


def render_source(names, tables, sigs, since):
    index = {n: i for i, n in enumerate(names)}
    out = [HEADER_COMMENT, "\n", '#include "syscall_data.h"\n\n']

    out.append("const char *const syscall_names[SYSCALL_NAME_COUNT] = {\n")
    for i, n in enumerate(names):
        out.append("\t%s,\t/* %d */\n" % (c_string(n), i))
    out.append("};\n\n")

    out.append("const uint16_t syscall_name_slots[SYSCALL_NAME_SLOTS] = {\n")
    for slot, v in enumerate(name_slots(names)):
        if v:
            out.append("\t[%d] = %d,\t/* %s */\n" % (slot, v, names[v - 1]))
    out.append("};\n\n")

    out.append("const int32_t syscall_numbers[ARCH_COUNT][SYSCALL_NAME_COUNT]"
               " = {\n")
    for (enum, tbl), table in zip(ARCHES, tables):
        out.append("\t[%s] = {\t/* %s.tbl */\n" % (enum, tbl))
        for n in names:
            nr = table.get(n)
            out.append("\t\t%s,\t/* %s */\n"
                       % ("-1" if nr is None else "%d" % nr, n))
        out.append("\t},\n")
    out.append("};\n\n")

    for (enum, tbl), table in zip(ARCHES, tables):
        entries = sorted((nr, index[n]) for n, nr in table.items()
                         if nr is not None)
        out.append("static const struct syscall_nr_entry nr_%s[] = {\n" % tbl)
        for nr, i in entries:
            out.append("\t{ %d, %d },\t/* %s */\n" % (nr, i, names[i]))
        out.append("};\n\n")
    out.append("const struct syscall_nr_entry *const "
               "syscall_nr_lists[ARCH_COUNT] = {\n")
    for enum, tbl in ARCHES:
        out.append("\t[%s] = nr_%s,\n" % (enum, tbl))
    out.append("};\n\n")
    out.append("const uint16_t syscall_nr_counts[ARCH_COUNT] = {\n")
    for (enum, tbl), table in zip(ARCHES, tables):
        count = sum(1 for nr in table.values() if nr is not None)
        out.append("\t[%s] = sizeof(nr_%s) / sizeof(nr_%s[0]),\t/* %d */\n"
                   % (enum, tbl, tbl, count))
    out.append("};\n\n")

    out.append("const struct syscall_signature "
               "syscall_signatures[SYSCALL_NAME_COUNT] = {\n")
    for n in names:
        params = sigs.get(n)
        if params is None:
            out.append("\t{ .nparams = -1 },\t/* %s */\n" % n)
            continue
        if not params:
            out.append("\t{ .nparams = 0 },\t/* %s */\n" % n)
            continue
        out.append("\t{\t/* %s */\n\t\t.nparams = %d,\n\t\t.params = {\n"
                   % (n, len(params)))
        for pname, ctype, bits, kind in params:
            out.append("\t\t\t{ %s, %s, %d, %s },\n"
                       % (c_string(pname), c_string(ctype), bits, kind))
        out.append("\t\t},\n\t},\n")
    out.append("};\n\n")

    out.append("const uint16_t syscall_since_data[SYSCALL_NAME_COUNT] = {\n")
    for n in names:
        v = since.get(n, 0)
        out.append("\t%d,\t/* %s */\n" % (v, n))
    out.append("};\n")
    return "".join(out)


def generate(data_dir):
    tables = []
    for enum, tbl in ARCHES:
        path = os.path.join(data_dir, "syscalls", tbl + ".tbl")
        tables.append(read_table(path, x32=(enum == "ARCH_X32")))
    names = sorted(set().union(*tables), key=lambda s: s.encode("ascii"))
    if not names:
        raise DataError("no syscall names in %s/syscalls" % data_dir)
    if len(names) > 0xffff:
        raise DataError("too many syscall names for uint16_t indexes")
    x86_64 = tables[0]
    sigs = read_signatures(os.path.join(data_dir, "x86_64-signatures.tsv"),
                           x86_64)
    since = read_since(os.path.join(data_dir, "syscall-since.tsv"), x86_64)
    return {
        "syscall_data.h": render_header(len(names)),
        "syscall_data.c": render_source(names, tables, sigs, since),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", required=True, help="the data directory")
    ap.add_argument("--out", required=True, help="where to write the C files")
    args = ap.parse_args()
    try:
        files = generate(args.data)
    except DataError as e:
        print("gen-syscalls: error: %s" % e, file=sys.stderr)
        return 1
    os.makedirs(args.out, exist_ok=True)
    for name, text in sorted(files.items()):
        path = os.path.join(args.out, name)
        tmp = path + ".tmp"
        with open(tmp, "w", encoding="ascii", newline="\n") as f:
            f.write(text)
        os.replace(tmp, path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
