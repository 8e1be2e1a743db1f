# square-timeline.gp - square's workers over time, one panel per model:
# processes and threads compute side by side, gil workers take turns
# csv: square.timeline.csv
# text: model kind
# numeric: workers worker start_s end_s

load scripts."/timeline.gnuplot"
