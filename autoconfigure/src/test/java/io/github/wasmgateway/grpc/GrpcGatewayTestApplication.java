package io.github.wasmgateway.grpc;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The gateway of the gRPC tests: everything from auto-configuration and
 * application-grpc.yml.
 */
@SpringBootApplication
public class GrpcGatewayTestApplication {

}
