"""Framework internals behind lrkit.torch, lrkit.keras and lrkit.tf_keras."""
