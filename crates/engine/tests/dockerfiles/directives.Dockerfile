# Syntax=docker/dockerfile:1
# ESCAPE=\
# not a directive any more
FROM busybox
   RUN   echo   indented   
EXPOSE 8080


CMD echo "# not a comment"
