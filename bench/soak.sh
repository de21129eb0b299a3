#!/usr/bin/env bash
# A soak: one long racelab run, with the peak resident memory of the coordinator and of each
# worker JVM (VmHWM from /proc/PID/status, sampled every second until each exits), every output
# line timestamped, and the time from the load's end to the verdict. The defaults are the
# soak in docs/BENCHMARKS.md: coalesce on Redis, 64 threads x 2 worker processes, 600 s.
#
# Usage: bench/soak.sh [extra racelab run flags, e.g. --nemesis kill-worker]
#   STORE=redis  STRATEGY=coalesce  THREADS=64  INSTANCES=2  RUN_SECONDS=600  OUT=bench/results/soak
# Needs: the store's server on loopback (bin/start-services).
# Writes: OUT/result.json (racelab's JSON), OUT/hwm.tsv (peak RSS per JVM, kB), OUT/summary.md;
# OUT/raw/output.log (racelab's output, timestamped) stays on this machine (bench/.gitignore).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
STORE=${STORE:-redis}
STRATEGY=${STRATEGY:-coalesce}
THREADS=${THREADS:-64}
INSTANCES=${INSTANCES:-2}
RUN_SECONDS=${RUN_SECONDS:-600}
OUT=${OUT:-$HERE/results/soak}
source "$HERE/lib.sh"
mkdir -p "$OUT/raw"
rm -f "$OUT/result.json" "$OUT/raw/output.log" "$OUT/summary.md" "$OUT/hwm.tsv"

cmd=(run --store "$STORE" --strategy "$STRATEGY" --threads "$THREADS" --instances "$INSTANCES"
     --seconds "$RUN_SECONDS" --json "$OUT/result.json" "$@")
echo "soak.sh: racelab ${cmd[*]}" >&2
start_machine=$(machine_line)

# Every line of racelab's output, stderr too, with the seconds since the epoch it was printed at.
( racelab_bench "${cmd[@]}" 2>&1 | while IFS= read -r line; do printf '%s %s\n' "$(date +%s.%N)" "$line"; done > "$OUT/raw/output.log" ) &
runner=$!

# The JVMs under the runner: the coordinator, and the workers it starts (by parent pid, never by name).
descendants() {
  local parent=$1 child
  for child in $(ps -o pid= --ppid "$parent" 2>/dev/null); do
    echo "$child"
    descendants "$child"
  done
}
declare -A hwm role
while kill -0 "$runner" 2>/dev/null; do
  for pid in $(descendants "$runner"); do
    [ -r "/proc/$pid/status" ] || continue
    cmdline=$(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null || true)
    case "$cmdline" in
      *WorkerMain*) role[$pid]=worker ;;
      *racelab.jar*) role[$pid]=coordinator ;;
      *) continue ;;
    esac
    kb=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
    [ -n "$kb" ] && [ "$kb" -gt "${hwm[$pid]:-0}" ] && hwm[$pid]=$kb
  done
  sleep 1
done
wait "$runner" || true
for pid in "${!hwm[@]}"; do printf '%s\t%s\t%s\n' "${role[$pid]}" "$pid" "${hwm[$pid]}"; done | sort > "$OUT/hwm.tsv"

python3 - "$OUT" "$start_machine" "$(machine_line)" "racelab ${cmd[*]}" <<'EOF'
import json, re, sys
out, machine_start, machine_end, command = sys.argv[1:5]
lines = []  # (seconds since the epoch, the line as racelab printed it)
for l in open(f'{out}/raw/output.log'):
    t, _, text = l.rstrip('\n').partition(' ')
    lines.append((float(t), text))
r = json.load(open(f'{out}/result.json'))  # one run's result: its keys are at the top
hwm = [l.split('\t') for l in open(f'{out}/hwm.tsv') if l.strip()]
coord = [int(kb) for role, _, kb in hwm if role == 'coordinator']
workers = [int(kb) for role, _, kb in hwm if role == 'worker']
progress = [(t, s) for t, s in lines if re.search(r' ops \(\d+%\)| ops/s now', s)]
verdict_line = next(((t, s) for t, s in lines if re.match(r'\S+\s+\S+\s+[\d,]+\s', s) and s.rstrip().endswith(('PASS', 'FAIL'))), None)
checked = next((s for t, s in lines if s.startswith('racelab: checked')), '')
load_end = progress[-1][0] if progress else None
to_verdict = (verdict_line[0] - load_end) if (verdict_line and load_end) else None
def count(v):
    return sum(v.values()) if isinstance(v, dict) else (v or 0)
invoked, ok, failed, unknown = (count(r[k]) for k in ('invoked', 'ok', 'failed', 'unknown'))
with open(f'{out}/summary.md', 'w') as f:
    f.write(f'Command: `{command}`\n\n')
    f.write(f'Machine at the start: {machine_start}\n\nMachine at the end: {machine_end}\n\n')
    f.write('| operations invoked | acknowledged | failed | unknown | invoked == ack + failed + unknown | verdict | ops/s | coordinator peak RSS | each worker\'s peak RSS | last progress line to result table |\n')
    f.write('|---:|---:|---:|---:|---|---|---:|---:|---:|---:|\n')
    bal = invoked == ok + failed + unknown
    f.write(f"| {invoked:,} | {ok:,} | {failed:,} | {unknown:,} | {'yes' if bal else 'NO'} | {r['verdict']} | "
            f"{r['opsPerSec']:,.0f} | {max(coord) // 1024 if coord else '-'} MB | "
            f"{', '.join(f'{w // 1024} MB' for w in workers) or '-'} | "
            f"{f'{to_verdict:.1f} s' if to_verdict is not None else '-'} |\n\n")
    f.write(f'{checked}\n\nLast progress line: {progress[-1][1] if progress else "-"}\n')
print(open(f'{out}/summary.md').read())
EOF
