FROM busybox
RUN echo a \

    b \
   
    c
RUN echo last \
