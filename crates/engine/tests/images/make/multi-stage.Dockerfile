FROM busybox AS build
RUN mkdir -p /out/www && echo "built in stage one" > /out/www/index.html && echo hello > /out/hello.txt && ln -s www/index.html /out/home
FROM scratch
COPY --from=build /out/ /srv/
COPY --from=build /etc/passwd /etc/passwd
ENV SITE=/srv/www
WORKDIR /srv
LABEL org.example.fixture=multi-stage
