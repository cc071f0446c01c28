FROM --platform=linux/amd64 golang:1.22 AS build
WORKDIR /src
RUN --mount=type=cache,target=/root/.cache/go-build go build -o /out/app .
FROM scratch
COPY --from=build --chown=1000:1000 --chmod=755 /out/app /app
ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/x.tar.gz /x/
COPY --link --parents ./a/./b /c/
HEALTHCHECK --interval=30s --timeout=3s --retries=3 CMD curl -f http://localhost/ || exit 1
HEALTHCHECK NONE
ENTRYPOINT ["/app"]
