#!/usr/bin/env bash
# Run every benchmark, then plot and tabulate the results.
#
#   run_all.sh --list FILE --out DIR [--quick | --smoke] [--readme FILE]
#
# --list    the manifest CMake writes (build/bench/bench/benches.list):
#           one program per line, with its own arguments after "--"
# --out     results directory; emptied first. Each program writes its CSV
#           (DIR/<prog>.csv), its markdown table (DIR/<prog>.md), raw
#           latency samples (DIR/raw/) and plot series (DIR/plot/); its
#           terminal output is kept in DIR/<prog>.txt
# --quick   short runs (development; numbers are noisy)
# --smoke   tiny runs that only validate
# --readme  after a full run, replace the results section of this file
#           (between the bench-results markers) with DIR/summary.md and
#           copy the plots next to it, into plots/
#
# Then: PNG plots with gnuplot (DIR/png/: latency CDFs, throughput against
# tasklets, scaling against vCPUs), and DIR/summary.md: the machine, the
# date, the command, every goal with its verdict, and every table.
#
# Exit status: 0 when every program ran and validated (goals that are
# MISSED are reported, not failures); 1 if a program failed.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
list="" out="" readme="" mode=()

usage() {
  sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'
  exit "${1:-0}"
}

while [ $# -gt 0 ]; do
  case "$1" in
    --list) list=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --readme) readme=$2; shift 2 ;;
    --quick|--smoke) mode+=("$1"); shift ;;
    -h|--help) usage 0 ;;
    *) echo "run_all.sh: unknown argument '$1'" >&2; usage 2 ;;
  esac
done
[ -n "$list" ] && [ -n "$out" ] || usage 2
[ -r "$list" ] || { echo "run_all.sh: cannot read $list" >&2; exit 2; }
if [ -n "$readme" ] && [ ${#mode[@]} -gt 0 ]; then
  echo "run_all.sh: --readme takes a full run only; not updating it" >&2
  readme=""
fi

rm -rf "$out"
mkdir -p "$out"
out=$(cd "$out" && pwd)

# ------------------------------------------------------------------
# The machine
# ------------------------------------------------------------------

first_line() { [ -r "$1" ] && head -n 1 "$1" || echo unknown; }

describe_machine() {
  local model rev command="cmake --workflow --preset bench"
  [ "${mode[*]}" = "--quick" ] && command="cmake --workflow --preset bench-quick"
  [ "${mode[*]}" = "--smoke" ] && command="run_all.sh --smoke"

  model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
  rev=$(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo unknown)
  if [ "$rev" != unknown ] && [ -n "$(git -C "$here" status --porcelain 2>/dev/null)" ]; then
    rev="$rev (with local changes)"
  fi
  cat <<EOF
- **Machine:** ${model:-unknown CPU}, $(nproc) CPUs usable, $(free -g | awk '/^Mem:/ {print $2}') GiB;
  virtualisation: $(systemd-detect-virt 2>/dev/null || echo unknown)
- **Kernel:** $(uname -r); clocksource
  $(first_line /sys/devices/system/clocksource/clocksource0/current_clocksource);
  cpuidle driver $(first_line /sys/devices/system/cpu/cpuidle/current_driver);
  load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)
- **Date:** $(date -u '+%Y-%m-%d %H:%M UTC'); source revision $rev
- **Command:** \`$command\` (runs \`bench/run_all.sh${mode[*]:+ ${mode[*]}}\`)
EOF
}

describe_machine > "$out/machine.md"

# ------------------------------------------------------------------
# The programs
# ------------------------------------------------------------------

status_rows=""
failed=0
while IFS= read -r line || [ -n "$line" ]; do
  [ -n "$line" ] || continue
  prog=${line%% *}
  args=()
  if [ "$prog" != "$line" ]; then
    read -r -a args <<<"${line#* }"
  fi
  name=$(basename "$prog")
  echo "=== $name"
  set +e
  "$prog" "${mode[@]}" --out "$out" "${args[@]}" >"$out/$name.txt" 2>"$out/$name.err"
  rc=$?
  set -e
  cat "$out/$name.txt"
  case $rc in
    0) if grep -q 'SKIPPED' "$out/$name.txt" && [ ! -f "$out/$name.csv" ]; then
         state="skipped"
       else
         state="ok"
       fi ;;
    3) state="VALIDATION FAILED"; failed=1 ;;
    *) state="failed (exit $rc)"; failed=1 ;;
  esac
  if [ "$rc" -ne 0 ]; then
    echo "$name: $state" >&2
    cat "$out/$name.err" >&2
  fi
  status_rows+="| $name | $state |"$'\n'
done <"$list"

# ------------------------------------------------------------------
# Plots
# ------------------------------------------------------------------

meta() { sed -n "s/^$2=//p" "$1"; }

plot_all() {
  local m base files
  mkdir -p "$out/png"
  for m in "$out"/raw/*.meta; do
    [ -e "$m" ] || continue
    base=$(basename "$m" .meta)
    files=$(ls "$out/raw/${base}__"*.cdf 2>/dev/null | tr '\n' ' ')
    [ -n "$files" ] || continue
    gnuplot -e "files='$files'; out='$out/png/${base}_cdf.png'; \
      ttl='$(meta "$m" title)'; xl='$(meta "$m" xlabel)'; \
      yl='$(meta "$m" ylabel)'; logx=$(meta "$m" logx)" "$here/plot_cdf.gp"
  done
  for m in "$out"/plot/*.meta; do
    [ -e "$m" ] || continue
    base=$(basename "$m" .meta)
    files=$(ls "$out/plot/${base}__"*.dat 2>/dev/null | tr '\n' ' ')
    [ -n "$files" ] || continue
    gnuplot -e "files='$files'; out='$out/png/${base}.png'; \
      ttl='$(meta "$m" title)'; xl='$(meta "$m" xlabel)'; \
      yl='$(meta "$m" ylabel)'; logx=$(meta "$m" logx)" "$here/plot_xy.gp"
  done
}

if command -v gnuplot >/dev/null 2>&1; then
  plot_all
else
  echo "run_all.sh: gnuplot not found (Debian: gnuplot-nox); no plots" >&2
fi

# ------------------------------------------------------------------
# Summary
# ------------------------------------------------------------------

# Every goal row of every CSV, as a markdown table.
goals_table() {
  echo "| question | goal | measured | limit | verdict |"
  echo "|---|---|--:|--:|---|"
  cat "$out"/*.csv 2>/dev/null | awk -F, '
    $4 == "goal" {
      what = $5; sub(/^goal: /, "", what)
      printf "| %s | %s: %s | %.3g%s | %s%s | **%s** |\n", \
        $1, $2, what, $6, $7, $10, ($7 == "x" ? "x" : ""), $11
    }'
}

plots_list() {
  local png
  for png in "$out"/png/*.png; do
    [ -e "$png" ] || continue
    echo "![$(basename "$png" .png)](plots/$(basename "$png"))"
    echo
  done
}

{
  cat "$out/machine.md"
  echo
  echo "#### Goals"
  echo
  goals_table
  echo
  echo "#### Programs"
  echo
  echo "| program | status |"
  echo "|---|---|"
  printf '%s' "$status_rows"
  while IFS= read -r line || [ -n "$line" ]; do
    [ -n "$line" ] || continue
    name=$(basename "${line%% *}")
    if [ -f "$out/$name.md" ]; then
      echo
      cat "$out/$name.md"
    fi
  done <"$list"
  echo
  echo "#### Plots"
  echo
  plots_list
} >"$out/summary.md"

echo "=== summary: $out/summary.md"
awk -F, '$4 == "goal" { n[$11]++ } END { for (v in n) printf "%s: %d  ", v, n[v]; print "" }' \
  "$out"/*.csv 2>/dev/null || true

# ------------------------------------------------------------------
# README
# ------------------------------------------------------------------

if [ -n "$readme" ]; then
  if ! grep -q '<!-- bench-results:begin -->' "$readme"; then
    echo "run_all.sh: $readme has no bench-results markers" >&2
    exit 1
  fi
  mkdir -p "$(dirname "$readme")/plots"
  rm -f "$(dirname "$readme")"/plots/*.png
  cp "$out"/png/*.png "$(dirname "$readme")/plots/" 2>/dev/null || true
  awk -v f="$out/summary.md" '
    /<!-- bench-results:begin -->/ {
      print; while ((getline l < f) > 0) print l; skip = 1; next
    }
    /<!-- bench-results:end -->/ { skip = 0 }
    !skip { print }' "$readme" >"$readme.tmp"
  mv "$readme.tmp" "$readme"
  echo "=== updated $readme and $(dirname "$readme")/plots/"
fi

exit "$failed"
