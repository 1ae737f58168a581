package dev.adjoint.processor.frontend;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;

/**
 * Instance methods: their companion methods are static and take the receiver first, as a data
 * parameter named after its class ({@code pkModel} for a {@code PkModel}); the body reads the
 * receiver's final fields, and {@code wrt} names a field to differentiate as {@code "this.scale"}.
 */
public final class Receivers {
  /** How {@code wrt} names a field of the receiver: {@code "this.scale"}. */
  public static final String FIELD_PREFIX = "this.";

  private Receivers() {}

  /** Whether {@code method} has a receiver: an instance method. */
  public static boolean hasReceiver(ExecutableElement method) {
    return !method.getModifiers().contains(Modifier.STATIC);
  }

  /**
   * The receiver's name in the companion: the class's simple name starting lower-case, with
   * {@code _} appended while it is a keyword or a parameter's name.
   */
  public static String receiverName(ExecutableElement method) {
    String simple = method.getEnclosingElement().getSimpleName().toString();
    String name = simple.substring(0, 1).toLowerCase(Locale.ROOT) + simple.substring(1);
    Set<String> parameters = method.getParameters().stream()
        .map(parameter -> parameter.getSimpleName().toString()).collect(Collectors.toSet());
    while (SourceVersion.isKeyword(name) || parameters.contains(name)) {
      name = name + "_";
    }
    return name;
  }

  /**
   * Why instance methods of {@code owner} cannot be differentiated (an interface, an enum, an inner
   * class, a generic class), with what to do; null when they can.
   */
  public static String unsupportedOwner(TypeElement owner) {
    if (owner.getKind() != ElementKind.CLASS && owner.getKind() != ElementKind.RECORD) {
      return "it is declared in " + kindOf(owner) + "; declare it in a class or record, or make it static";
    }
    if (owner.getNestingKind() == NestingKind.MEMBER && !owner.getModifiers().contains(Modifier.STATIC)) {
      return "its class " + owner.getSimpleName() + " is an inner class, whose objects hold an enclosing instance;"
          + " make the class static";
    }
    for (Element e = owner; e instanceof TypeElement type; e = e.getEnclosingElement()) {
      if (!type.getTypeParameters().isEmpty()) {
        return "its class " + type.getSimpleName() + " has type parameters; write the model for double values"
            + " without generics, or make the method static";
      }
    }
    return null;
  }

  private static String kindOf(TypeElement owner) {
    return switch (owner.getKind()) {
      case INTERFACE -> "an interface";
      case ENUM -> "an enum";
      case ANNOTATION_TYPE -> "an annotation type";
      default -> "a " + owner.getKind().toString().toLowerCase(Locale.ROOT);
    };
  }

  /**
   * Whether a subclass may override {@code method}, so that the body read here need not be the one
   * a call runs: an instance method that is neither private nor final, of a class that is not final
   * (records are).
   */
  public static boolean overridable(ExecutableElement method) {
    return hasReceiver(method) && !method.getModifiers().contains(Modifier.PRIVATE)
        && !method.getModifiers().contains(Modifier.FINAL)
        && !method.getEnclosingElement().getModifiers().contains(Modifier.FINAL);
  }

  /** Whether the receiver's class is a record, whose components the companion reads through accessors. */
  public static boolean isRecord(TypeElement owner) {
    return owner.getKind() == ElementKind.RECORD;
  }

  /** The names in {@code wrt} that name fields ({@code "this.scale"} gives {@code scale}). */
  public static java.util.List<String> fieldsIn(java.util.List<String> wrt) {
    return wrt.stream().filter(name -> name.startsWith(FIELD_PREFIX))
        .map(name -> name.substring(FIELD_PREFIX.length())).toList();
  }

  /** The instance field {@code name} of {@code owner} (declared or inherited), or null. */
  public static VariableElement instanceField(javax.lang.model.util.Elements elements, TypeElement owner, String name) {
    for (VariableElement field : javax.lang.model.util.ElementFilter.fieldsIn(elements.getAllMembers(owner))) {
      if (field.getSimpleName().contentEquals(name)) {
        return field.getModifiers().contains(Modifier.STATIC) ? null : field;
      }
    }
    return null;
  }
}
