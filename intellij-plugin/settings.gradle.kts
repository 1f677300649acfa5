// The IntelliJ plugin is a Gradle build of its own (JetBrains documents only Gradle for the IntelliJ
// Platform); the rest of ColdSpy is built by Maven from the repository root.
rootProject.name = "coldspy-intellij"

pluginManagement {
    repositories {
        gradlePluginPortal()
        mavenCentral()
    }
}
