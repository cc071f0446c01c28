# syntax=docker/dockerfile:1
FROM alpine
RUN <<EOF
echo hello
echo world
EOF
RUN <<-EOT sh
	echo tab-stripped
	EOT
COPY <<EOF1 <<'EOF2' /dest/
first $HOME
EOF1
second $HOME
EOF2
ADD <<EOF /bar/hello.txt
hi
EOF
