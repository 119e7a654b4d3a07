package io.github.wasmgateway.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The engine is a pure-Java host: it must run without Spring, Reactor or Netty (or
 * grpc-java, which the gateway's gRPC client brings).
 */
class EngineArchitectureTests {

	static final JavaClasses ENGINE = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("io.github.wasmgateway.engine");

	@Test
	void engineImportsNothingFromSpringReactorOrNetty() {
		noClasses().should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework..", "reactor..", "io.netty..", "io.micrometer..", "io.grpc..",
					"com.google.protobuf..")
			.check(ENGINE);
	}

	@Test
	void publicApiDoesNotDependOnChicoryTypes() {
		noClasses().that()
			.resideInAPackage("io.github.wasmgateway.engine")
			.and()
			.arePublic()
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("com.dylibso.chicory..")
			.check(ENGINE);
	}

}
