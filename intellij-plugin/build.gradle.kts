// IntelliJ Platform Gradle Plugin 2.x build of the ColdSpy plugin. Needs JetBrains' repositories
// (IntelliJ Platform artifacts, JetBrains Marketplace for LSP4IJ): see README.md.
plugins {
    java
    id("org.jetbrains.intellij.platform") version "2.11.0"
}

group = providers.gradleProperty("pluginGroup").get()
version = providers.gradleProperty("pluginVersion").get()

repositories {
    mavenCentral()
    intellijPlatform {
        defaultRepositories()
    }
}

dependencies {
    intellijPlatform {
        intellijIdea(providers.gradleProperty("platformVersion"))
        // LSP4IJ brings LSP4J on its own class loader; this plugin must not bundle another copy.
        plugin("com.redhat.devtools.lsp4ij", providers.gradleProperty("lsp4ijVersion").get())
        pluginVerifier()
    }
}

// src/core/java: the plugin's plain-Java part (no IntelliJ Platform), also compiled and tested by checks/.
sourceSets {
    main {
        java.srcDir("src/core/java")
    }
}

java {
    toolchain {
        languageVersion = JavaLanguageVersion.of(21)
    }
}

intellijPlatform {
    pluginConfiguration {
        version = providers.gradleProperty("pluginVersion")
        ideaVersion {
            sinceBuild = providers.gradleProperty("pluginSinceBuild")
        }
    }
    pluginVerification {
        ides {
            recommended()
        }
    }
}

// The language server runs in its own JVM from the jar Maven builds (server/target/coldspy.jar). It goes
// into the plugin's server/ folder, not lib/: nothing in it (LSP4J included) is on the plugin's class path.
val coldspyServerJar = layout.projectDirectory.file("../server/target/coldspy.jar")

tasks {
    prepareSandbox {
        from(coldspyServerJar) {
            // the sandbox folder of this plugin is named after the project (intellijPlatform.projectName)
            into("${project.name}/server")
        }
        doFirst {
            check(coldspyServerJar.asFile.isFile) {
                "${coldspyServerJar.asFile} is missing: build it first with `mvn -pl server package` from the repository root"
            }
        }
    }
}
