FROM debian:bookworm-slim AS base
# comments inside a continuation are dropped
RUN apt-get update \
# install the compiler
    && apt-get install -y gcc \
    && rm -rf /var/lib/apt/lists/*
RUN echo one \
    two \
      three
ENV A=1 \
    B="two words" \
    C=three
LABEL org.example.a="x" \
      org.example.b=y
