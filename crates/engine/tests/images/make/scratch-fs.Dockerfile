FROM busybox AS bb
FROM scratch
COPY etc/ /etc/
COPY app/ /app/
RUN --mount=from=bb,src=/bin/busybox,dst=/busybox ["/busybox", "sh", "-c", "set -e; B=/busybox; $B rm /app/old.txt; $B ln /app/a.txt /app/a-hard; $B ln -s a.txt /app/sym; $B rm -rf /app/dir; $B mkdir /app/dir; echo new > /app/dir/new.txt; $B chmod 600 /app/conf/z.txt; echo changed >> /app/big.bin"]
RUN --mount=from=bb,src=/bin/busybox,dst=/busybox ["/busybox", "sh", "-c", "/busybox rm -rf /app/conf"]
CMD ["/app/a.txt"]
