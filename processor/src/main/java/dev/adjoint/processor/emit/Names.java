package dev.adjoint.processor.emit;

import com.palantir.javapoet.NameAllocator;
import dev.adjoint.processor.ir.Variable;

/** Java names for IR variables, unique within one generated method, derived from the user's. */
final class Names {
  private final NameAllocator allocator = new NameAllocator();

  /** Reserves {@code name} exactly (parameters keep their names); fails if it is taken. */
  String reserve(Object tag, String name) {
    String allocated = allocator.newName(name, tag);
    if (!allocated.equals(name)) {
      throw new IllegalStateException("name taken: " + name);
    }
    return allocated;
  }

  String of(Variable variable) {
    try {
      return allocator.get(variable);
    } catch (IllegalArgumentException notYetNamed) {
      return allocator.newName(variable.name(), variable);
    }
  }

  /** A fresh name for something that is not an IR variable, such as the gradient object. */
  String fresh(String suggestion, Object tag) {
    return allocator.newName(suggestion, tag);
  }
}
