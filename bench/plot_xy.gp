# An x-y figure (throughput against tasklets, scaling against vCPUs): one
# curve per series. Called by run_all.sh with: files (space-separated .dat
# files, each with a header line '"x" "series"' and lines 'x y'), out, ttl,
# xl, yl, logx. usoftirq curves are drawn thicker, ideal lines dashed.
set terminal pngcairo size 960,600 noenhanced font "sans,10"
set output out
set title ttl
set xlabel xl
set ylabel yl
if (logx) set logscale x 2
set yrange [0:*]
set grid
set key top left
width(f) = strstrt(f, "usoftirq") ? 3.5 : 1.5
dash(f) = strstrt(f, "ideal") ? 2 : 1
plot for [f in files] f using 1:2 with linespoints linewidth width(f) \
	dashtype dash(f) pointtype 7 title columnheader(2)
