ARG BASE=alpine
ARG VERSION
FROM ${BASE}:${VERSION:-3.21}
ARG BUILD_NO=7
ONBUILD COPY . /src
ONBUILD RUN make -C /src
MAINTAINER Layerlab <layerlab@example.com>
ENV PATH=/usr/local/bin:$PATH
ENV legacy form value with spaces
ARG A=1 B=2
