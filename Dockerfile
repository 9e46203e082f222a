# syntax=docker/dockerfile:1
# Build: docker build -t signpost .
# Run:   docker run -p 8080:8080 -v signpost-data:/data signpost
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/signpost ./cmd/signpost \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/signpost /usr/local/bin/signpost
COPY --from=build --chown=65532:65532 /out/data /data
ENV SIGNPOST_ADDR=0.0.0.0:8080 \
    SIGNPOST_DATA=/data
VOLUME ["/data"]
EXPOSE 8080
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/signpost"]
CMD ["serve"]
