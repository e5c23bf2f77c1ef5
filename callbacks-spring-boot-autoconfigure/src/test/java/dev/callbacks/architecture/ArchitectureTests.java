package dev.callbacks.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The layers of the library, as the README's "Project layout" draws them: data flows
 * ChatClient → adapter ({@code ai}) → engine ({@code internal}) → API types (handlers,
 * events, usage); integrations (meters, web, handlers) build on the API; only
 * {@code autoconfigure} knows Spring Boot. Each rule fails when a change crosses a line.
 */
class ArchitectureTests {

	private static final String ROOT = "dev.callbacks";

	private static final String[] API = { ROOT, ROOT + ".event", ROOT + ".usage" };

	private static JavaClasses classes;

	@BeforeAll
	static void importClasses() {
		classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.importPackages(ROOT);
	}

	@Test
	void noPackageCycles() {
		// Every package is a slice of its own (the root package included), so a cycle
		// between any two packages fails.
		SliceAssignment byPackage = new SliceAssignment() {
			@Override
			public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
				return SliceIdentifier.of(javaClass.getPackageName());
			}

			@Override
			public String getDescription() {
				return "packages of " + ROOT;
			}
		};
		slices().assignedFrom(byPackage).should().beFreeOfCycles().check(classes);
	}

	@Test
	void apiDependsOnNoImplementation() {
		noClasses().that()
			.resideInAnyPackage(API)
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(ROOT + ".internal..", ROOT + ".ai..", ROOT + ".autoconfigure..", ROOT + ".metrics..",
					ROOT + ".web..", ROOT + ".handlers..")
			.because("the API is what users touch; the engine and the adapter stay behind it")
			.check(classes);
	}

	@Test
	void engineKnowsNeitherAdapterNorIntegrations() {
		noClasses().that()
			.resideInAPackage(ROOT + ".internal..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(ROOT + ".ai..", ROOT + ".autoconfigure..", ROOT + ".metrics..", ROOT + ".web..",
					ROOT + ".handlers..")
			.because("the engine receives tokens and usage; how they are read is the adapter's business")
			.check(classes);
	}

	@Test
	void engineParsesNoSpringAiResponses() {
		noClasses().that()
			.resideInAPackage(ROOT + ".internal..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework.ai.chat.metadata..", "org.springframework.ai.chat.client..")
			.because("chunk reading and usage extraction live in the adapter")
			.check(classes);
	}

	@Test
	void adapterKnowsNoIntegrations() {
		noClasses().that()
			.resideInAPackage(ROOT + ".ai..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(ROOT + ".autoconfigure..", ROOT + ".metrics..", ROOT + ".web..", ROOT + ".handlers..")
			.check(classes);
	}

	@Test
	void integrationsUseTheApiNotTheEngine() {
		noClasses().that()
			.resideInAnyPackage(ROOT + ".handlers..", ROOT + ".metrics..", ROOT + ".web..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(ROOT + ".internal..", ROOT + ".ai..")
			.check(classes);
	}

	@Test
	void onlyAutoConfigurationKnowsSpringBoot() {
		// Actuator endpoints are the one exception, and only to the actuator's endpoint
		// API, as in Spring Boot's own split of actuator and its auto-configuration.
		noClasses().that()
			.resideOutsideOfPackages(ROOT + ".autoconfigure..", ROOT + "..actuate..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("org.springframework.boot..")
			.check(classes);
		noClasses().that()
			.resideInAPackage(ROOT + "..actuate..")
			.should()
			.dependOnClassesThat(JavaClass.Predicates.resideInAPackage("org.springframework.boot..")
				.and(JavaClass.Predicates.resideOutsideOfPackage("org.springframework.boot.actuate..")))
			.check(classes);
	}

}
