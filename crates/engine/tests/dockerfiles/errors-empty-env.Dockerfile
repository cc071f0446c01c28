FROM busybox
ENV
