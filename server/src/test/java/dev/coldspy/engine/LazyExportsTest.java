package dev.coldspy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LazyExportsTest {
  @Test
  void readsPydanticsTableOfNamesAndRelativeModules() {
    String init = """
        from typing import TYPE_CHECKING

        __all__ = ('BaseModel', 'Field')

        _dynamic_imports: 'dict[str, tuple[str, str]]' = {
            'BaseModel': (__spec__.parent, '.main'),
            'Field': (__spec__.parent, '.fields'),
            "ConfigDict": (__spec__.parent, ".config"),
            'validate_call': (__spec__.parent, '.validate_call_decorator'),
        }


        def __getattr__(attr_name: str) -> object:
            package, module_name = _dynamic_imports[attr_name]
        """;
    assertEquals(Map.of("BaseModel", "pydantic.main", "Field", "pydantic.fields", "ConfigDict", "pydantic.config",
        "validate_call", "pydantic.validate_call_decorator"), LazyExports.of("pydantic", init));
  }

  @Test
  void readsLazyLoadersModulesToNamesAndAbsoluteModules() {
    String init = """
        import lazy_loader as lazy

        __getattr__, __dir__, __all__ = lazy.attach(
            __name__,
            submodules=["filters"],
            submod_attrs={
                "io._io": ["imread", "imsave"],
                "skimage.util": ("img_as_float",),
            },
        )
        """;
    assertEquals(Map.of("imread", "skimage.io._io", "imsave", "skimage.io._io", "img_as_float", "skimage.util"),
        LazyExports.of("skimage", init));
  }

  @Test
  void aPackageWithoutAModuleLevelGetattrHandsOutNothing() {
    String init = """
        _aliases = {
            'Field': (__spec__.parent, '.fields'),
        }


        class Lazy:
            def __getattr__(self, name):
                return _aliases[name]
        """;
    assertEquals(Map.of(), LazyExports.of("pkg", init));
  }
}
