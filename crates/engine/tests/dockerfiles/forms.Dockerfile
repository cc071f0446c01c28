FROM python:3-slim
CMD ["python", "app.py"]
ENTRYPOINT ["/entry.sh", "--flag"]
RUN ["sh", "-c", "echo exec form"]
CMD [ "bad json', "x" ]
RUN [not json at all
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN echo through bash | cat
VOLUME ["/data", "/logs"]
VOLUME /cache /tmp/x
EXPOSE 80 443/tcp 53/udp
USER 1000:1000
STOPSIGNAL SIGQUIT
