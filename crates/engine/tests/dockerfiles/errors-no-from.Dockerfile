RUN echo before from
