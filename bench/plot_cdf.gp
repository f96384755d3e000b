# Latency distributions (CDF) of one scenario: one curve per subject.
# Called by run_all.sh with: files (space-separated .cdf files, each with a
# header line '"unit" "subject"' and lines 'value fraction'), out, ttl, xl,
# yl, logx. usoftirq curves are drawn thicker, floors dashed.
set terminal pngcairo size 960,600 noenhanced font "sans,10"
set output out
set title ttl
set xlabel xl
set ylabel yl
if (logx) set logscale x
set yrange [0:1]
set grid xtics ytics mxtics
set key bottom right
width(f) = strstrt(f, "usoftirq") ? 3.5 : 1.5
dash(f) = strstrt(f, "__floor__") ? 2 : 1
plot for [f in files] f using 1:2 with lines linewidth width(f) \
	dashtype dash(f) title columnheader(2)
