FROM alpine
RUN cat <<A && cat <<B
a
A
b
B
