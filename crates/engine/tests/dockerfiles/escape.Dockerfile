# escape=`
FROM busybox
RUN echo a `
    b `
    c
COPY a\b.txt c:\dest\
WORKDIR c:\app
