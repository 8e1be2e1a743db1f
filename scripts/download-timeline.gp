# download-timeline.gp - download's workers over time, one panel per
# model; every model, gil included, waits on the network side by side
# csv: download.timeline.csv
# text: model kind
# numeric: workers worker start_s end_s

load scripts."/timeline.gnuplot"
